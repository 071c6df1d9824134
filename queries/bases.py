"""Shared bases of the metrics, materialised once per scope as TEMP tables on the connection.

About thirty metrics start from the same few expansions of the fact tables (scoped lessons, held
lessons × students, marks with their lags, period marks, averages and enrolments). Expanding them
again in every query made the pack ~40 times the work of one pass; instead each base is one SQL file
in queries/sql/bases/ (a thin wrapper over a macro of _setup.sql), and a metric reads it by name.

Bases are built lazily, right before a metric that names one runs, so a single metric works on a
fresh connection. On a read-only warehouse (etl.warehouse.connect_readonly: its data cannot change
under the connection) a base is kept and reused while the parameters it depends on stay the same;
on a writable connection every run rebuilds it, so a base never outlives the data it was built from.
TEMP tables live in the connection's own temp catalog: cursors and other connections never see them.
"""

from __future__ import annotations

import re
import weakref
from functools import cache
from typing import Any

import duckdb

from queries.registry import SQL_DIR

BASE_DIR = SQL_DIR / "bases"
NAMES: tuple[str, ...] = tuple(sorted(p.stem for p in BASE_DIR.glob("*.sql")))
_REF = re.compile(r"\b(" + "|".join(NAMES) + r")\b")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")

# Per connection: base name -> the parameter values it was built with (read-only warehouses only).
_built: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, tuple]] = weakref.WeakKeyDictionary()


@cache
def _base(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A base's SQL, the parameters it binds, and all it depends on (through the bases it reads too)."""
    text = (BASE_DIR / f"{name}.sql").read_text(encoding="utf-8")
    own = tuple(dict.fromkeys(_PARAM.findall(_COMMENT.sub("", text))))
    inherited = [p for dep in referenced(text) for p in _base(dep)[2]]
    return text, own, tuple(dict.fromkeys(own + tuple(inherited)))


@cache
def referenced(sql: str) -> tuple[str, ...]:
    """The bases an SQL text reads (comments do not count), each after the bases it reads itself."""
    order: list[str] = []
    for name in named(sql):
        for dep in (*referenced(_base(name)[0]), name):
            if dep not in order:
                order.append(dep)
    return tuple(order)


@cache
def named(sql: str) -> tuple[str, ...]:
    """The bases an SQL text reads itself (comments do not count), not those they are built from."""
    return tuple(dict.fromkeys(_REF.findall(_COMMENT.sub("", sql))))


def text_of(name: str) -> str:
    """A base's SQL."""
    return _base(name)[0]


def plan(sqls: list[str]) -> tuple[str, ...]:
    """Every base the SQL texts read, each after the bases it reads itself."""
    return tuple(dict.fromkeys(name for sql in sqls for name in referenced(sql)))


def needs(name: str) -> tuple[str, ...]:
    """The bases one base reads (directly or through another base)."""
    return referenced(_base(name)[0])


def build_into(con: duckdb.DuckDBPyConnection, catalog: str, name: str, values: dict[str, Any]) -> None:
    """Build one base as a table of `catalog` (an attached database) rather than a TEMP table, so the
    other cursors of the same database instance can read it (queries.pack runs metrics on several)."""
    text, own, _ = _base(name)
    con.execute(f"CREATE TABLE {catalog}.main.{name} AS {text}", {n: values[n] for n in own})


def _key(values: dict[str, Any], names: tuple[str, ...]) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in (values[n] for n in names))


def _read_only(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows and rows[0][0])


def kept(con: duckdb.DuckDBPyConnection, names: tuple[str, ...], values: dict[str, Any]) -> tuple[str, ...]:
    """The bases of `names` already on `con` for these values (TEMP tables kept on a read-only warehouse)."""
    built = _built.get(con, {})
    return tuple(name for name in names if built.get(name) == _key(values, _base(name)[2]))


def ensure(con: duckdb.DuckDBPyConnection, sql: str, values: dict[str, Any]) -> None:
    """Build (or keep) every base `sql` reads, for these parameter values."""
    names = referenced(sql)
    if not names:
        return
    built = _built.setdefault(con, {}) if _read_only(con) else {}
    for name in names:
        text, own, depends_on = _base(name)
        key = _key(values, depends_on)
        if built.get(name) == key:
            continue
        built.pop(name, None)  # a failed rebuild must not leave the old key claiming the table
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {text}", {n: values[n] for n in own})
        built[name] = key
