-- Завуч canonical warehouse (DuckDB). System-neutral: holds what every ЭЖ system gives
-- (shared/docs/data-formats.md §10). Documented column by column in docs/data-model.md.
--
-- Conventions
--  * `id` is the row's key as given by the bundle (text, never int: Дневник.ру ids exceed 2^53).
--    Adapters make ids unique across systems by prefixing them (e.g. 'dnevnik_ru:1234').
--  * Every row keeps `source_system`, `source_id` and `batch_id` (the import batch that last wrote it).
--  * Times are naive local time of the school (schools.timezone says which); `*_precision` is
--    'second' | 'minute' | 'date' and `*_source` names the source field that gave the time.
--  * Big tables (lessons, marks, attendance, homework, and plan_lessons and final_marks, which are as
--    long as lessons) have no declared PRIMARY KEY: an ART index over millions of text keys doubles
--    their load time and memory. The loader enforces their key uniqueness itself (duplicates in a file
--    are rejected rows), and tests check it. Warehouses created before 2026-11-29 keep the keys of
--    plan_lessons and final_marks; the loader finds a declared key's repeated ids before inserting.

CREATE TABLE IF NOT EXISTS warehouse_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- ---------------------------------------------------------------- loading

CREATE TABLE IF NOT EXISTS import_batches (
    batch_id       BIGINT PRIMARY KEY,
    source_system  VARCHAR NOT NULL,
    bundle_path    VARCHAR NOT NULL,
    bundle_sha256  VARCHAR NOT NULL,
    mode           VARCHAR NOT NULL CHECK (mode IN ('snapshot', 'delta')),
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP,
    status         VARCHAR NOT NULL CHECK (status IN ('loaded', 'unchanged', 'refused')),
    rows_read      BIGINT NOT NULL DEFAULT 0,
    rows_loaded    BIGINT NOT NULL DEFAULT 0,   -- inserted + updated
    rows_unchanged BIGINT NOT NULL DEFAULT 0,
    rows_rejected  BIGINT NOT NULL DEFAULT 0,
    rows_deleted   BIGINT NOT NULL DEFAULT 0,   -- marked deleted because they vanished from a snapshot
    message        VARCHAR
);

CREATE TABLE IF NOT EXISTS import_files (
    batch_id       BIGINT NOT NULL,
    table_name     VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    file_sha256    VARCHAR NOT NULL,
    file_format    VARCHAR NOT NULL,          -- csv | xlsx | parquet | jsonl
    encoding       VARCHAR,                   -- utf-8 | utf-8-sig | cp1251 (CSV only)
    delimiter      VARCHAR,
    rows_read      BIGINT NOT NULL,
    rows_inserted  BIGINT NOT NULL,
    rows_updated   BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    rows_deleted   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, table_name)
);

CREATE TABLE IF NOT EXISTS rejected_rows (
    batch_id    BIGINT NOT NULL,
    table_name  VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    line        BIGINT,                        -- line in the file (header = line 1); row for XLSX/Parquet
    column_name VARCHAR,
    value       VARCHAR,
    reason      VARCHAR NOT NULL,              -- plain-language, Russian
    source_place VARCHAR                       -- an import's row: where in the system's own files it came from
);
-- Warehouses made before source_place existed get it at their next load.
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS source_place VARCHAR;

-- ---------------------------------------------------------------- school and calendar

CREATE TABLE IF NOT EXISTS schools (
    id            VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    full_name     VARCHAR,
    region        VARCHAR,
    timezone      VARCHAR NOT NULL DEFAULT 'Europe/Moscow',
    school_week_days INTEGER NOT NULL DEFAULT 5 CHECK (school_week_days IN (5, 6)),
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS academic_years (
    id            VARCHAR PRIMARY KEY,
    school_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,            -- '2025/2026'
    start_date    DATE NOT NULL,
    end_date      DATE NOT NULL,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL,
    CHECK (end_date >= start_date)
);

-- Reporting periods differ by grade: the regulation's school has semesters in grades 2–9 and
-- half-years in 10–11 (annex 3 p.2); others use quarters or trimesters.
CREATE TABLE IF NOT EXISTS periods (
    id               VARCHAR PRIMARY KEY,
    school_id        VARCHAR NOT NULL,
    academic_year_id VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,         -- '1 семестр', '2 полугодие', '3 четверть'
    kind             VARCHAR NOT NULL CHECK (kind IN ('quarter', 'trimester', 'semester', 'half_year', 'module', 'year', 'custom')),
    number           INTEGER NOT NULL,
    start_date       DATE NOT NULL,
    end_date         DATE NOT NULL,
    grade_from       INTEGER NOT NULL DEFAULT 1,
    grade_to         INTEGER NOT NULL DEFAULT 11,
    source_system    VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    batch_id         BIGINT NOT NULL,
    CHECK (end_date >= start_date),
    CHECK (grade_from <= grade_to)
);

-- Vacations, public holidays and quarantines: days without ordinary lessons.
CREATE TABLE IF NOT EXISTS holidays (
    id               VARCHAR PRIMARY KEY,
    school_id        VARCHAR NOT NULL,
    academic_year_id VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('vacation', 'holiday', 'quarantine', 'other')),
    start_date       DATE NOT NULL,
    end_date         DATE NOT NULL,
    grade_from       INTEGER NOT NULL DEFAULT 1,
    grade_to         INTEGER NOT NULL DEFAULT 11,
    group_id         VARCHAR,                  -- a quarantine may close one class only
    source_system    VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    batch_id         BIGINT NOT NULL,
    CHECK (end_date >= start_date)
);

-- ---------------------------------------------------------------- people and groups

CREATE TABLE IF NOT EXISTS people (
    id            VARCHAR PRIMARY KEY,
    school_id     VARCHAR NOT NULL,
    role          VARCHAR NOT NULL CHECK (role IN ('student', 'teacher', 'staff')),
    last_name     VARCHAR NOT NULL,
    first_name    VARCHAR NOT NULL,
    middle_name   VARCHAR,
    sex           VARCHAR CHECK (sex IN ('m', 'f')),
    birth_date    DATE,
    position      VARCHAR,                     -- staff: 'заместитель директора по УВР', …
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS subjects (
    id                VARCHAR PRIMARY KEY,
    school_id         VARCHAR NOT NULL,
    name              VARCHAR NOT NULL,
    short_name        VARCHAR,
    source_system     VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL,
    batch_id          BIGINT NOT NULL
);

-- Classes ('5А') and subgroups ('5А англ. 1 гр.'); a subgroup has a parent class.
CREATE TABLE IF NOT EXISTS groups (
    id                  VARCHAR PRIMARY KEY,
    school_id           VARCHAR NOT NULL,
    academic_year_id    VARCHAR NOT NULL,
    name                VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL CHECK (kind IN ('class', 'subgroup')),
    grade               INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 11),
    parent_group_id     VARCHAR,
    subject_id          VARCHAR,               -- subgroups: the subject they are split for
    homeroom_teacher_id VARCHAR,               -- classes: классный руководитель
    source_system       VARCHAR NOT NULL,
    source_id           VARCHAR NOT NULL,
    batch_id            BIGINT NOT NULL,
    CHECK ((kind = 'subgroup') = (parent_group_id IS NOT NULL))
);

-- Students move between classes mid-year: membership has dates (valid_to NULL = still there).
CREATE TABLE IF NOT EXISTS memberships (
    id            VARCHAR PRIMARY KEY,
    group_id      VARCHAR NOT NULL,
    student_id    VARCHAR NOT NULL,
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- Учебный план / нагрузка: weekly hours per group × subject × teacher.
CREATE TABLE IF NOT EXISTS curriculum (
    id            VARCHAR PRIMARY KEY,
    group_id      VARCHAR NOT NULL,
    subject_id    VARCHAR NOT NULL,
    teacher_id    VARCHAR NOT NULL,
    weekly_hours  DECIMAL(4, 1) NOT NULL CHECK (weekly_hours > 0),
    valid_from    DATE,
    valid_to      DATE,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

-- Календарно-тематическое планирование: planned lessons and their topics.
CREATE TABLE IF NOT EXISTS plan_lessons (
    id            VARCHAR NOT NULL,
    group_id      VARCHAR NOT NULL,
    subject_id    VARCHAR NOT NULL,
    number        INTEGER NOT NULL,            -- sequence number in the plan
    planned_date  DATE,
    topic         VARCHAR NOT NULL,
    hours         INTEGER NOT NULL DEFAULT 1,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS work_types (
    id            VARCHAR PRIMARY KEY,
    school_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    abbr          VARCHAR,
    weight        DECIMAL(4, 2) NOT NULL DEFAULT 1 CHECK (weight > 0),
    is_control    BOOLEAN NOT NULL DEFAULT false,  -- контрольная, диктант, …: needs a full row of marks
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

-- Regulation 4.3–4.4: an account reported compromised; its entries from `reported_at` on are invalid.
CREATE TABLE IF NOT EXISTS account_incidents (
    id            VARCHAR PRIMARY KEY,
    person_id     VARCHAR NOT NULL,
    reported_at   TIMESTAMP NOT NULL,
    description   VARCHAR,
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL
);

-- ---------------------------------------------------------------- facts

CREATE TABLE IF NOT EXISTS lessons (
    id                   VARCHAR NOT NULL,
    school_id            VARCHAR NOT NULL,     -- derived from the group
    group_id             VARCHAR NOT NULL,
    subject_id           VARCHAR NOT NULL,
    lesson_date          DATE NOT NULL,
    lesson_number        INTEGER,
    planned_teacher_id   VARCHAR,
    actual_teacher_id    VARCHAR,              -- differs from planned = substitution (regulation 2.5)
    is_substitution      BOOLEAN NOT NULL DEFAULT false,  -- the source recorded a substitution
    status               VARCHAR NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'cancelled', 'planned')),
    topic                VARCHAR,
    topic_entered_at     TIMESTAMP,
    topic_entered_at_precision VARCHAR CHECK (topic_entered_at_precision IN ('second', 'minute', 'date')),
    plan_lesson_id       VARCHAR,
    entered_by           VARCHAR,              -- account that entered the topic / roll (reveals unrecorded substitutions)
    attendance_taken_at  TIMESTAMP,            -- when the teacher took the roll (even if all were present); NULL = not taken
    attendance_taken_at_precision VARCHAR CHECK (attendance_taken_at_precision IN ('second', 'minute', 'date')),
    source_system        VARCHAR NOT NULL,
    source_id            VARCHAR NOT NULL,
    batch_id             BIGINT NOT NULL,
    first_seen_at        TIMESTAMP NOT NULL,
    last_seen_at         TIMESTAMP NOT NULL,
    deleted_at           TIMESTAMP
);

-- Raw value as written; parsed number and kind derived by the loader (etl/sql/parse_mark.sql).
CREATE TABLE IF NOT EXISTS marks (
    id                   VARCHAR NOT NULL,
    school_id            VARCHAR NOT NULL,
    student_id           VARCHAR NOT NULL,
    lesson_id            VARCHAR NOT NULL,
    group_id             VARCHAR NOT NULL,     -- the lesson's group
    subject_id           VARCHAR NOT NULL,
    lesson_date          DATE NOT NULL,
    work_type_id         VARCHAR,
    value_raw            VARCHAR NOT NULL,     -- '5', '4-', 'н/а', 'зач', 'осв'
    value_num            DECIMAL(4, 2),        -- '4-' → 4 with value_modifier '-'; NULL unless kind = grade
    value_kind           VARCHAR NOT NULL CHECK (value_kind IN ('grade', 'pass_fail', 'not_attested', 'exempt', 'placeholder')),
    value_modifier       VARCHAR CHECK (value_modifier IN ('+', '-')),
    weight               DECIMAL(4, 2) NOT NULL DEFAULT 1,
    counts_in_average    BOOLEAN NOT NULL DEFAULT true,
    comment              VARCHAR,
    entered_by           VARCHAR,              -- account (person) that entered it
    entered_at           TIMESTAMP,
    entered_at_precision VARCHAR CHECK (entered_at_precision IN ('second', 'minute', 'date')),
    entered_at_source    VARCHAR,              -- e.g. 'mesh:created_at', 'elschool:Дата проставления', 'first_seen'
    updated_at           TIMESTAMP,
    deleted_at           TIMESTAMP,
    first_seen_at        TIMESTAMP NOT NULL,   -- the loader's own clock: when a batch first carried it
    last_seen_at         TIMESTAMP NOT NULL,
    flag_entered_before_lesson BOOLEAN NOT NULL DEFAULT false,
    flag_entered_very_late     BOOLEAN NOT NULL DEFAULT false,  -- > norms.plausibility.max_entry_lag_days
    flag_student_not_in_group  BOOLEAN NOT NULL DEFAULT false,  -- not a member of the lesson's group that day
    source_system        VARCHAR NOT NULL,
    source_id            VARCHAR NOT NULL,
    batch_id             BIGINT NOT NULL
);

-- Changes of known marks. A new mark is no event: its creation is marks.first_seen_at / entered_at
-- ('created' stays allowed so that warehouses written by earlier loaders remain valid).
CREATE TABLE IF NOT EXISTS mark_events (
    mark_id        VARCHAR NOT NULL,
    batch_id       BIGINT NOT NULL,
    event          VARCHAR NOT NULL CHECK (event IN ('created', 'changed', 'deleted', 'restored')),
    event_at       TIMESTAMP NOT NULL,         -- source time when known (updated_at), else the batch time
    event_at_source VARCHAR NOT NULL,          -- 'source' | 'loader'
    old_value_raw  VARCHAR,
    new_value_raw  VARCHAR,
    old_weight     DECIMAL(4, 2),
    new_weight     DECIMAL(4, 2)
);

-- Period, year and exam marks (итоговые отметки).
CREATE TABLE IF NOT EXISTS final_marks (
    id                   VARCHAR NOT NULL,
    school_id            VARCHAR NOT NULL,
    student_id           VARCHAR NOT NULL,
    subject_id           VARCHAR NOT NULL,
    group_id             VARCHAR NOT NULL,
    period_id            VARCHAR,              -- NULL for year / exam / final
    kind                 VARCHAR NOT NULL CHECK (kind IN ('period', 'year', 'exam', 'final')),
    value_raw            VARCHAR NOT NULL,
    value_num            DECIMAL(4, 2),
    value_kind           VARCHAR NOT NULL CHECK (value_kind IN ('grade', 'pass_fail', 'not_attested', 'exempt', 'placeholder')),
    entered_by           VARCHAR,
    entered_at           TIMESTAMP,
    entered_at_precision VARCHAR CHECK (entered_at_precision IN ('second', 'minute', 'date')),
    first_seen_at        TIMESTAMP NOT NULL,
    last_seen_at         TIMESTAMP NOT NULL,
    deleted_at           TIMESTAMP,
    source_system        VARCHAR NOT NULL,
    source_id            VARCHAR NOT NULL,
    batch_id             BIGINT NOT NULL
);

-- One row per student × lesson with a non-present status (present is the absence of a row).
CREATE TABLE IF NOT EXISTS attendance (
    id                    VARCHAR NOT NULL,
    school_id             VARCHAR NOT NULL,
    student_id            VARCHAR NOT NULL,
    lesson_id             VARCHAR NOT NULL,
    group_id              VARCHAR NOT NULL,
    subject_id            VARCHAR NOT NULL,
    lesson_date           DATE NOT NULL,
    status                VARCHAR NOT NULL CHECK (status IN ('absent_unexcused', 'absent_illness', 'absent_excused', 'late', 'exempt')),
    raw_code              VARCHAR NOT NULL,    -- Н, Б, П, О, УП, НП, ОП, ОСВ, Absent, Ill, …
    comment               VARCHAR,
    recorded_by           VARCHAR,
    recorded_at           TIMESTAMP,
    recorded_at_precision VARCHAR CHECK (recorded_at_precision IN ('second', 'minute', 'date')),
    first_seen_at         TIMESTAMP NOT NULL,
    last_seen_at          TIMESTAMP NOT NULL,
    deleted_at            TIMESTAMP,
    flag_student_not_in_group BOOLEAN NOT NULL DEFAULT false,
    source_system         VARCHAR NOT NULL,
    source_id             VARCHAR NOT NULL,
    batch_id              BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS homework (
    id                   VARCHAR NOT NULL,
    school_id            VARCHAR NOT NULL,
    lesson_id            VARCHAR NOT NULL,
    group_id             VARCHAR NOT NULL,
    subject_id           VARCHAR NOT NULL,
    lesson_date          DATE NOT NULL,
    text                 VARCHAR NOT NULL,
    due_date             DATE,
    duration_minutes     INTEGER CHECK (duration_minutes IS NULL OR duration_minutes >= 0),
    entered_by           VARCHAR,
    entered_at           TIMESTAMP,
    entered_at_precision VARCHAR CHECK (entered_at_precision IN ('second', 'minute', 'date')),
    first_seen_at        TIMESTAMP NOT NULL,
    last_seen_at         TIMESTAMP NOT NULL,
    deleted_at           TIMESTAMP,
    source_system        VARCHAR NOT NULL,
    source_id            VARCHAR NOT NULL,
    batch_id             BIGINT NOT NULL
);

-- Attendance codes of the ЭЖ systems → canonical status (data-formats §7.1). Regions customise
-- codes, so the raw code is always kept next to the status.
CREATE TABLE IF NOT EXISTS attendance_codes (
    raw_code VARCHAR PRIMARY KEY,              -- compared upper-cased and trimmed
    status   VARCHAR NOT NULL,
    meaning  VARCHAR NOT NULL
);
INSERT OR IGNORE INTO attendance_codes VALUES
    ('Н',      'absent_unexcused', 'отсутствовал (причина не указана)'),
    ('НП',     'absent_unexcused', 'неуважительная причина (Сетевой город)'),
    ('ОТ',     'absent_unexcused', 'отсутствовал (Сетевой город)'),
    ('ABSENT', 'absent_unexcused', 'Дневник.ру: Absent'),
    ('Б',      'absent_illness',   'по болезни'),
    ('ILL',    'absent_illness',   'Дневник.ру: Ill'),
    ('П',      'absent_excused',   'по уважительной причине'),
    ('УП',     'absent_excused',   'уважительная причина (Сетевой город)'),
    ('PASS',   'absent_excused',   'Дневник.ру: Pass'),
    ('О',      'late',             'опоздание'),
    ('ОП',     'late',             'опоздание (Сетевой город, ЭлЖур)'),
    ('LATE',   'late',             'Дневник.ру: Late'),
    ('ОСВ',    'exempt',           'освобождён');
