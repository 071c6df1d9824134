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


DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file
HOW_TO_CREATE = "новое хранилище создаёт zavuch load ПАКЕТ, zavuch import СИСТЕМА ФАЙЛ или zavuch demo"


class WarehouseMissing(FileNotFoundError):
    """No usable warehouse at the path: nothing loaded yet, a misspelt path, a folder or another file.
    Readers refuse with its message instead of showing an empty school as one without violations."""


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $ZAVUCH_DB, else data/zavuch.duckdb."""
    return Path(db or os.environ.get(ENV_VAR) or DEFAULT_PATH)


def missing_folder(path: str | os.PathLike[str]) -> Path | None:
    """The topmost folder of the path that does not exist (a misspelt --db), or None."""
    absent = [d for d in Path(path).absolute().parents if not d.exists()]
    return absent[-1] if absent else None


def unusable(path: str | os.PathLike[str]) -> str | None:
    """Why the existing `path` is not a warehouse file (a folder, an empty or another kind of file), else None.
    Both readers and the loader ask it: DuckDB's own answer was an English traceback."""
    p = Path(path)
    if p.is_dir():
        return f"{p} — это папка, а не файл хранилища; укажите файл, например {p / DEFAULT_PATH.name}"
    try:
        with p.open("rb") as f:
            head = f.read(12)
    except OSError as e:
        return f"файл хранилища {p} не прочитать: {e.strerror}"
    if head[8:12] != DUCKDB_MAGIC:
        return f"{p} — не файл хранилища Завуча (не база DuckDB); проверьте путь --db или ${ENV_VAR}"
    return None


def check_readable(path: str | os.PathLike[str]) -> None:
    """Raise WarehouseMissing, naming the path and what to run first, unless a warehouse file is there."""
    p = Path(path)
    if not p.exists():
        folder = missing_folder(p)
        if folder is not None:
            raise WarehouseMissing(f"хранилища {p} нет: папки {folder} не существует. Проверьте путь --db или "
                                   f"${ENV_VAR}; {HOW_TO_CREATE}.")
        raise WarehouseMissing(f"Хранилище {p} ещё не создано: загрузите данные ({HOW_TO_CREATE}) или проверьте "
                               f"путь --db и ${ENV_VAR}.")
    reason = unusable(p)
    if reason:
        raise WarehouseMissing(reason)


def schema_sql() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def connect_readonly(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the warehouse file, attached read-only."""
    p = Path(path)
    check_readable(p)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_quote(p)}' AS {ALIAS} (READ_ONLY)")
    except duckdb.Error as e:  # a damaged file or one of a newer DuckDB
        con.close()
        raise WarehouseMissing(f"хранилище {p} не открыть: {e}") from None
    con.execute(f"USE {ALIAS}")
    return con


def version(path: str | os.PathLike[str]) -> tuple[int, int]:
    """Changes whenever the loader swaps in a new file: (inode, mtime_ns). Used as a cache key."""
    st = Path(path).stat()
    return (st.st_ino, st.st_mtime_ns)


def _quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")
