"""Where the warehouse lives and how readers open it.

Readers never open the file directly: DuckDB caches database instances by path, so after the loader
swaps in a new file a plain `duckdb.connect(path)` could keep returning the old one
(stack-notes §1.6). A fresh in-memory connection that ATTACHes the file READ_ONLY always sees the
file that is there now, and an open reader keeps its old file alive while the loader replaces it.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

ENV_VAR = "ZAVUCH_DB"
DEFAULT_PATH = Path("data") / "zavuch.duckdb"
SCHEMA_PATH = Path(__file__).with_name("schema.sql")
ALIAS = "wh"


class WarehouseMissing(FileNotFoundError):
    """No warehouse file yet: nothing has been loaded."""


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $ZAVUCH_DB, else data/zavuch.duckdb."""
    return Path(db or os.environ.get(ENV_VAR) or DEFAULT_PATH)


def schema_sql() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def connect_readonly(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the warehouse file, attached read-only."""
    p = Path(path)
    if not p.exists():
        raise WarehouseMissing(f"Хранилище {p} ещё не создано: загрузите данные (zavuch load / zavuch demo).")
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{_quote(p)}' AS {ALIAS} (READ_ONLY)")
    con.execute(f"USE {ALIAS}")
    return con


def version(path: str | os.PathLike[str]) -> tuple[int, int]:
    """Changes whenever the loader swaps in a new file: (inode, mtime_ns). Used as a cache key."""
    st = Path(path).stat()
    return (st.st_ino, st.st_mtime_ns)


def _quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")
