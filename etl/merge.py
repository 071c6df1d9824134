"""Apply checked rows of one table to the warehouse: shape, diff against what is there, MERGE.

Rows are keyed by `id`. A row whose values are IS DISTINCT FROM the stored ones is updated; the rest
only get `last_seen_at` (fact tables). Fact rows that a snapshot no longer carries are marked deleted
(`deleted_at`), never removed; marks also get mark_events (changed / deleted / restored; a mark's
creation is its `first_seen_at`). A table loaded for the first time skips the diff: rows go straight in.
Generic SQL is generated from the table's columns; the domain rules live in etl/sql/shape/<table>.sql
and etl/sql/events/*.sql.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.bundle_spec import Table

SQL_DIR = Path(__file__).with_name("sql")
LOADER_COLUMNS = ("batch_id", "first_seen_at", "last_seen_at")  # the loader's bookkeeping, not data


@dataclass
class MergeCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def sql_file(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def target_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, str | None]]:
    """Warehouse column -> (type, default expression), in table order."""
    rows = con.execute(
        "SELECT column_name, data_type, column_default FROM duckdb_columns() "
        "WHERE table_name = $t AND NOT internal AND database_name = current_database() ORDER BY column_index",
        {"t": table},
    ).fetchall()
    return {name: (dtype, default) for name, dtype, default in rows}


def shape(con: duckdb.DuckDBPyConnection, table: Table, params: dict[str, Any], source: str | None = None) -> str:
    """View new_<table>: valid rows of `source` (default checked_<table>) in warehouse shape.

    A view: read once by whichever path uses it.
    """
    shape_file = SQL_DIR / "shape" / f"{table.name}.sql"
    if shape_file.exists():
        body = shape_file.read_text(encoding="utf-8")
    else:
        cols = target_columns(con, table.name)
        spec = {c.name for c in table.columns}
        exprs = []
        for name, (dtype, default) in cols.items():
            if name in spec:
                exprs.append(f"coalesce({name}, {default}) AS {name}" if default else name)
            elif name == "source_id":
                exprs.append("id AS source_id")
            elif name in ("source_system", "batch_id"):
                exprs.append(f"${name} AS {name}")
            else:
                raise ValueError(f"{table.name}.{name}: no shape rule")  # schema and spec out of step
        body = f"SELECT {', '.join(exprs)} FROM checked_{table.name} WHERE _errors IS NULL"
    if source:
        body = re.sub(rf"\bchecked_{table.name}\b", source, body)
    # Views cannot hold parameters: bind them as literals of their own type.
    con.execute(f"CREATE OR REPLACE TEMP VIEW new_{table.name} AS {_inline(body, params)}")
    return f"new_{table.name}"


def joined_references(table: Table) -> frozenset[str]:
    """Reference columns that etl/sql/shape/<table>.sql inner-joins to the referenced table's id
    ('JOIN lessons l ON l.id = c.lesson_id'): a row whose reference dangles cannot pass the shape."""
    shape_file = SQL_DIR / "shape" / f"{table.name}.sql"
    if not shape_file.exists():
        return frozenset()
    text = shape_file.read_text(encoding="utf-8")
    joins = re.findall(r"(?<!LEFT )\bJOIN (\w+) (\w+)\s+ON \2\.id = c\.(\w+)\b", text)
    references = {c.name: c.references for c in table.columns}
    return frozenset(col for ref, _, col in joins if references.get(col) == ref)


def is_empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)").fetchone()[0] == 0


def insert_fresh(con: duckdb.DuckDBPyConnection, table: Table) -> MergeCounts:
    """First load of a table: nothing to compare with, insert new_<table> in one pass."""
    cols = ", ".join(target_columns(con, table.name))
    inserted = con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM new_{table.name}").fetchone()[0]
    return MergeCounts(inserted=inserted)


def merge(con: duckdb.DuckDBPyConnection, table: Table, params: dict[str, Any]) -> MergeCounts:
    """Upsert new_<table> into the (non-empty) warehouse table; returns rows inserted/updated/unchanged."""
    name = table.name
    cols = list(target_columns(con, name))
    compared = [c for c in cols if c not in LOADER_COLUMNS]
    counts = MergeCounts()
    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in compared if c != "id")
    kept_old = ["deleted_at"] if table.is_fact else []
    if name == "marks":
        kept_old += ["value_raw", "weight"]
    old = "".join(f", o.{c} AS _old_{c}" for c in kept_old)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE diff_{name} AS "
        f"SELECT n.*, CASE WHEN o.id IS NULL THEN 'insert' WHEN {changed} THEN 'update' ELSE 'unchanged' END AS _action"
        f"{old} FROM new_{name} n LEFT JOIN {name} o ON o.id = n.id"
    )
    for action, n in con.execute(f"SELECT _action, count(*) FROM diff_{name} GROUP BY ALL").fetchall():
        setattr(counts, {"insert": "inserted", "update": "updated", "unchanged": "unchanged"}[action], n)

    updates = ", ".join(f"{c} = d.{c}" for c in cols if c not in ("id", "first_seen_at"))
    touch = "WHEN MATCHED THEN UPDATE SET last_seen_at = d.last_seen_at " if table.is_fact else ""
    source = f"diff_{name}" if table.is_fact else f"(SELECT * FROM diff_{name} WHERE _action <> 'unchanged')"
    con.execute(
        f"MERGE INTO {name} USING {source} AS d ON {name}.id = d.id "
        f"WHEN MATCHED AND d._action = 'update' THEN UPDATE SET {updates} "
        f"{touch}"
        f"WHEN NOT MATCHED THEN INSERT ({', '.join(cols)}) VALUES ({', '.join('d.' + c for c in cols)})"
    )
    if name == "marks":
        con.execute(sql_file("events/mark_changed.sql"), _only(params, "batch_id", "now"))
    return counts


def mark_vanished(
    con: duckdb.DuckDBPyConnection, table: Table, schools: str, dates: tuple[date, date] | None, params: dict[str, Any]
) -> int:
    """Snapshot: mark deleted the rows of `table` in scope (schools, lesson dates) that this file lacks."""
    name = table.name
    in_dates = ""
    if "lesson_date" in target_columns(con, name):
        if dates is None:
            return 0
        in_dates = f"AND lesson_date BETWEEN DATE '{dates[0].isoformat()}' AND DATE '{dates[1].isoformat()}'"
    stale = f"SELECT 1 FROM {name} WHERE deleted_at IS NULL AND last_seen_at < $now LIMIT 1"
    if not con.execute(stale, _only(params, "now")).fetchall():
        return 0  # every live row came with this batch (a table loaded for the first time): nothing vanished
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE vanished_{name} AS SELECT id FROM {name} "
        f"WHERE deleted_at IS NULL AND last_seen_at < $now AND school_id IN (SELECT school_id FROM {schools}) {in_dates} "
        f"AND id NOT IN (SELECT r_id FROM checked_{name} WHERE r_id IS NOT NULL)",
        _only(params, "now"),
    )
    if name == "marks":
        con.execute(sql_file("events/mark_vanished.sql"), _only(params, "batch_id", "now"))
    return con.execute(
        f"UPDATE {name} SET deleted_at = $now, batch_id = $batch_id WHERE id IN (SELECT id FROM vanished_{name})",
        _only(params, "batch_id", "now"),
    ).fetchone()[0]


def _only(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: params[n] for n in names}


def _inline(sql: str, params: dict[str, Any]) -> str:
    """Replace $name by a typed literal (longest names first so $now never eats $now_x)."""
    for key in sorted(params, key=len, reverse=True):
        sql = sql.replace(f"${key}", _literal(params[key]))
    return sql


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"CAST({value} AS BIGINT)"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"cannot inline {type(value).__name__}")
