"""Local accounts: argon2id password hashes, roles with their scope, login with lock-out and back-off.

A login that fails `lockout_after_failures` times in a row locks the account for `lockout_base_seconds`,
doubling with every further failure up to `lockout_max_seconds` (norms [access]); while locked even
the right password is refused. Every attempt and every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from access import audit
from queries.access import ROLES, Access

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_CHARS = 10
SCHOOL_ROLES = ("director", "deputy", "methodologist")


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is plain Russian."""


@dataclass(frozen=True)
class Account:
    login: str
    full_name: str
    role: str
    person_id: str | None
    school_ids: tuple[str, ...] | None
    class_ids: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    disabled: bool
    has_password: bool
    oidc_subject: str | None
    # Which password is set, not the password: a digest of its stored hash. A session that signed in
    # under another one ends (dashboard.auth): after a reset, whoever knew the old password is out.
    password_stamp: str | None = None

    def access(self, key: bytes, norms: dict[str, Any]) -> Access:
        """The rows this account may see (queries.access); methodologists always see pseudonyms."""
        methodologist = self.role == "methodologist"
        return Access(
            role=self.role,  # type: ignore[arg-type]
            school_ids=None if self.school_ids is None else frozenset(self.school_ids),
            class_ids=frozenset(self.class_ids), pairs=frozenset(self.pairs),
            pseudonymise=methodologist,
            min_group_size=int(norms["access"]["min_group_size"]) if methodologist else 0,
            key=key if methodologist else b"")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _account(row: sqlite3.Row) -> Account:
    schools = json.loads(row["school_ids"]) if row["school_ids"] is not None else None
    return Account(row["login"], row["full_name"], row["role"], row["person_id"],
                   None if schools is None else tuple(schools), tuple(json.loads(row["class_ids"])),
                   tuple((g, s) for g, s in json.loads(row["pairs"])), bool(row["disabled"]),
                   row["password_hash"] is not None, row["oidc_subject"], _stamp(row["password_hash"]))


def _stamp(password_hash: str | None) -> str | None:
    return None if password_hash is None else hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"пароль короче {MIN_PASSWORD_CHARS} символов")
    if password.strip() != password or not password.strip():
        raise AccountError("пароль не должен начинаться или заканчиваться пробелом")


def check_scope(role: str, school_ids: list[str] | None, class_ids: list[str],
                pairs: list[tuple[str, str]]) -> None:
    if role not in ROLES:
        raise AccountError(f"роль «{role}» не существует; допустимы: {', '.join(ROLES)}")
    if role == "class_teacher" and not class_ids:
        raise AccountError("классному руководителю нужен хотя бы один класс (--class)")
    if role == "subject_teacher" and not pairs:
        raise AccountError("учителю-предметнику нужна хотя бы одна пара класс:предмет (--pair)")
    if role not in ("class_teacher",) and class_ids:
        raise AccountError("классы (--class) задаются только классному руководителю")
    if role not in ("subject_teacher",) and pairs:
        raise AccountError("пары класс:предмет (--pair) задаются только учителю-предметнику")
    if role in ("class_teacher", "subject_teacher") and not school_ids:
        raise AccountError("учителю нужна школа (--school)")


def get(con: sqlite3.Connection, login: str) -> Account | None:
    row = con.execute("SELECT * FROM accounts WHERE login = ?", (login,)).fetchone()
    return _account(row) if row else None


def by_oidc_subject(con: sqlite3.Connection, subject: str) -> Account | None:
    row = con.execute("SELECT * FROM accounts WHERE oidc_subject = ?", (subject,)).fetchone()
    return _account(row) if row else None


def all_accounts(con: sqlite3.Connection) -> list[Account]:
    return [_account(r) for r in con.execute("SELECT * FROM accounts ORDER BY login").fetchall()]


def count(con: sqlite3.Connection) -> int:
    return con.execute("SELECT count(*) FROM accounts").fetchone()[0]


def add(con: sqlite3.Connection, login: str, full_name: str, role: str, password: str | None, *,
        by: str | None, person_id: str | None = None, school_ids: list[str] | None = None,
        class_ids: list[str] | None = None, pairs: list[tuple[str, str]] | None = None,
        oidc_subject: str | None = None) -> Account:
    """Create an account; a password or a sign-on identity is required (no default password exists)."""
    login, full_name = login.strip(), full_name.strip()
    if not login:
        raise AccountError("логин не может быть пустым")
    if any(ch.isspace() for ch in login):  # typed again at every login: a space there is a lock-out in waiting
        raise AccountError(f"логин «{login}» содержит пробел; используйте, например, «{'_'.join(login.split())}»")
    if not full_name:
        raise AccountError("ФИО не может быть пустым (--name «Фамилия И. О.»)")
    if get(con, login) is not None:
        raise AccountError(f"учётная запись «{login}» уже существует")
    if password is None and oidc_subject is None:
        raise AccountError("нужен пароль или идентификатор единого входа (--oidc)")
    class_ids, pairs = list(class_ids or []), list(pairs or [])
    check_scope(role, school_ids, class_ids, pairs)
    if password is not None:
        check_password(password)
    now = _now().isoformat()
    con.execute(
        "INSERT INTO accounts (login, full_name, role, person_id, school_ids, class_ids, pairs, oidc_subject, "
        "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (login, full_name, role, person_id, None if school_ids is None else json.dumps(school_ids),
         json.dumps(class_ids), json.dumps(pairs), oidc_subject,
         None if password is None else _hasher.hash(password), now, now))
    audit.record(con, by, "account_add", account=login, role=role, schools=school_ids, classes=class_ids,
                 pairs=pairs, person_id=person_id, oidc=oidc_subject)
    return get(con, login)  # type: ignore[return-value]


def _require(con: sqlite3.Connection, login: str) -> Account:
    account = get(con, login)
    if account is None:
        raise AccountError(f"учётной записи «{login}» нет")
    return account


def set_disabled(con: sqlite3.Connection, login: str, disabled: bool, *, by: str | None) -> None:
    _require(con, login)
    con.execute("UPDATE accounts SET disabled = ?, updated_at = ? WHERE login = ?",
                (int(disabled), _now().isoformat(), login))
    audit.record(con, by, "account_disable" if disabled else "account_enable", account=login)


def reset_password(con: sqlite3.Connection, login: str, password: str, *, by: str | None) -> None:
    """New password; also clears a lock-out."""
    _require(con, login)
    check_password(password)
    con.execute("UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? "
                "WHERE login = ?", (_hasher.hash(password), _now().isoformat(), login))
    audit.record(con, by, "account_password", account=login)


def grant(con: sqlite3.Connection, login: str, role: str, *, by: str | None, school_ids: list[str] | None = None,
          class_ids: list[str] | None = None, pairs: list[tuple[str, str]] | None = None,
          person_id: str | None = None) -> Account:
    """Replace an account's role and scope."""
    before = _require(con, login)
    class_ids, pairs = list(class_ids or []), list(pairs or [])
    check_scope(role, school_ids, class_ids, pairs)
    con.execute("UPDATE accounts SET role = ?, school_ids = ?, class_ids = ?, pairs = ?, person_id = ?, "
                "updated_at = ? WHERE login = ?",
                (role, None if school_ids is None else json.dumps(school_ids), json.dumps(class_ids),
                 json.dumps(pairs), person_id if person_id is not None else before.person_id,
                 _now().isoformat(), login))
    audit.record(con, by, "account_grant", account=login, role=role, previous_role=before.role,
                 schools=school_ids, classes=class_ids, pairs=pairs)
    return _require(con, login)


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    message: str  # plain Russian, shown on the login page
    locked_seconds: int = 0


def _lock_seconds(failures: int, rules: dict[str, Any]) -> int:
    over = failures - int(rules["lockout_after_failures"])
    if over < 0:
        return 0
    return min(int(rules["lockout_base_seconds"]) * 2 ** over, int(rules["lockout_max_seconds"]))


def authenticate(con: sqlite3.Connection, login: str, password: str, rules: dict[str, Any],
                 now: dt.datetime | None = None) -> LoginResult:
    """Check a login and password; count failures, lock with back-off, audit every attempt.

    The message never says whether the login exists (the same words for an unknown login and a wrong
    password)."""
    now = (now or _now()).replace(microsecond=0)
    wrong = "Неверный логин или пароль."
    row = con.execute("SELECT * FROM accounts WHERE login = ?", (login,)).fetchone()
    if row is None:
        _hasher.hash(password)  # the same work as a real check: timing does not reveal unknown logins
        audit.record(con, login, "login_failed", reason="unknown_login")
        return LoginResult(None, wrong)
    account = _account(row)
    locked_until = dt.datetime.fromisoformat(row["locked_until"]) if row["locked_until"] else None
    if locked_until is not None and now < locked_until:
        seconds = int((locked_until - now).total_seconds())
        audit.record(con, login, "login_locked", until=locked_until.isoformat())
        return LoginResult(None, f"Слишком много неудачных попыток. Повторите через {seconds} с.", seconds)
    ok = False
    if row["password_hash"] is not None and not account.disabled:
        try:
            ok = _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            ok = False
    elif row["password_hash"] is not None:
        _hasher.hash(password)
    if ok:
        if _hasher.check_needs_rehash(row["password_hash"]):  # stronger parameters: other open sessions end
            rehashed = _hasher.hash(password)
            con.execute("UPDATE accounts SET password_hash = ? WHERE login = ?", (rehashed, login))
            account = replace(account, password_stamp=_stamp(rehashed))
        con.execute("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE login = ?", (login,))
        audit.record(con, login, "login_ok", method="password")
        return LoginResult(account, "")
    failures = row["failed_logins"] + 1
    seconds = _lock_seconds(failures, rules)
    until = (now + dt.timedelta(seconds=seconds)).isoformat() if seconds else None
    con.execute("UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE login = ?", (failures, until, login))
    audit.record(con, login, "login_failed", reason="disabled" if account.disabled else "password",
                 failures=failures, locked_seconds=seconds)
    if seconds:
        return LoginResult(None, f"{wrong} Вход заблокирован на {seconds} с.", seconds)
    return LoginResult(None, wrong)
