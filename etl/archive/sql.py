"""Runs the archive's .sql files with only the named parameters each one uses."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

SQL_DIR = Path(__file__).with_name("sql")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@cache
def _text(name: str) -> tuple[str, tuple[str, ...]]:
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text, tuple(dict.fromkeys(_PARAM.findall(_COMMENT.sub("", text))))


def relation(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any]) -> duckdb.DuckDBPyRelation:
    """`sql/<name>.sql` bound to `values` (a subset of them: DuckDB refuses unused parameters)."""
    text, names = _text(name)
    return con.sql(text, params={n: values[n] for n in names})


def table_names() -> tuple[str, ...]:
    """Tables that have an export query (sql/tables/<table>.sql)."""
    return tuple(sorted(p.stem for p in (SQL_DIR / "tables").glob("*.sql")))
