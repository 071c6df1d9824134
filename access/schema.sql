-- Завуч access store (SQLite). Accounts, the append-only audit log, and installation settings.

CREATE TABLE IF NOT EXISTS accounts (
    login          TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('director', 'deputy', 'methodologist', 'class_teacher',
                                                  'subject_teacher', 'it_admin')),
    person_id      TEXT,                    -- the warehouse person (a teacher's own id), if any
    school_ids     TEXT,                    -- JSON list; NULL = every school
    class_ids      TEXT NOT NULL DEFAULT '[]',  -- JSON list (class teacher)
    pairs          TEXT NOT NULL DEFAULT '[]',  -- JSON list of [group_id, subject_id] (subject teacher)
    oidc_subject   TEXT UNIQUE,             -- email or sub of a single sign-on identity mapped to this account
    password_hash  TEXT,                    -- argon2id; NULL = sign-on only
    disabled       INTEGER NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,  -- consecutive failures since the last success
    locked_until   TEXT,                    -- ISO time; a login before it is refused
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Append-only: rows are inserted, never changed or removed (the triggers refuse it).
CREATE TABLE IF NOT EXISTS audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    login   TEXT,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'      -- JSON: page and filters, file name, account changed, …
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
