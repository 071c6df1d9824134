"""The SQLite file of accounts and the audit log: where it lives, opening it, the installation secret."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.warehouse import resolve_db_path

ENV_VAR = "ZAVUCH_ACCESS_DB"
FILE_NAME = "zavuch-access.sqlite"
SCHEMA_PATH = Path(__file__).with_name("schema.sql")


def resolve_store_path(db: str | os.PathLike[str] | None = None) -> Path:
    """$ZAVUCH_ACCESS_DB, else zavuch-access.sqlite next to the warehouse file (--db / $ZAVUCH_DB)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return resolve_db_path(db).parent / FILE_NAME


@contextmanager
def open_store(path: str | os.PathLike[str]) -> Iterator[sqlite3.Connection]:
    """A connection with the schema in place; one transaction, committed on success, rolled back on error."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(p, timeout=10)
    if os.name == "posix":
        os.chmod(p, 0o600)  # password hashes and the pseudonym secret: owner only
    try:
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(SCHEMA_PATH.read_text(encoding="utf-8"))
        with con:
            yield con
    finally:
        con.close()


def pseudonym_key(con: sqlite3.Connection) -> bytes:
    """The per-installation secret keying students' pseudonyms; created on first use, never shown."""
    row = con.execute("SELECT value FROM settings WHERE key = 'pseudonym_key'").fetchone()
    if row is None:
        value = secrets.token_hex(32)
        con.execute("INSERT OR IGNORE INTO settings VALUES ('pseudonym_key', ?)", (value,))
        row = con.execute("SELECT value FROM settings WHERE key = 'pseudonym_key'").fetchone()
    return bytes.fromhex(row["value"])
