"""The append-only audit log: who did what and when (logins, pages with filters, downloads, documents,
loads, account changes, students' rows printed by a command). The director views and exports it on the deck's «Журнал действий» page."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

import polars as pl

# Action codes and how the log page names them.
ACTIONS: dict[str, str] = {
    "login_ok": "вход", "login_failed": "неудачный вход", "login_locked": "вход заблокирован",
    "logout": "выход", "session_expired": "сеанс истёк",
    "session_revoked": "сеанс прерван: учётная запись отключена", "password_changed": "сеанс прерван: пароль изменён",
    "page_view": "просмотр страницы",
    "download": "скачивание", "document": "документ", "load": "загрузка данных",
    "account_add": "учётная запись создана", "account_disable": "учётная запись отключена",
    "account_enable": "учётная запись включена", "account_password": "пароль изменён",
    "account_grant": "права изменены", "incident_add": "компрометация зарегистрирована",
    "archive": "архив", "export": "выгрузка данных учеников",
}


def record(con: sqlite3.Connection, login: str | None, action: str, **detail: Any) -> None:
    """Append one entry (the caller's transaction commits it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    con.execute("INSERT INTO audit_log (at, login, action, detail) VALUES (?, ?, ?, ?)",
                (dt.datetime.now().isoformat(timespec="seconds"), login, action,
                 json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)))


def archives(con: sqlite3.Connection, *, limit: int = 5) -> list[dict[str, Any]]:
    """The newest year archives made (on the deck or by `zavuch archive create`), newest first: at, login and
    the entry's detail (year, name, copies, failures). `zavuch status` shows them to the IT administrator."""
    rows = con.execute("SELECT at, login, detail FROM audit_log WHERE action = 'archive' ORDER BY id DESC LIMIT ?",
                       (limit,)).fetchall()
    return [{"at": r["at"], "login": r["login"], **json.loads(r["detail"])} for r in rows]


def entries(con: sqlite3.Connection, *, limit: int | None = None) -> pl.DataFrame:
    """Newest first: at, login, action (code), action_name (Russian), detail (JSON text)."""
    rows = con.execute("SELECT id, at, login, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
                       (-1 if limit is None else limit,)).fetchall()
    frame = pl.DataFrame([dict(r) for r in rows], schema={"id": pl.Int64, "at": pl.String, "login": pl.String,
                                                          "action": pl.String, "detail": pl.String}, orient="row")
    return frame.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S"),
                              pl.col("action").replace(ACTIONS).alias("action_name"))
