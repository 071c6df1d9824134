"""What is in the warehouse: schools, years, periods, row counts, batches, rejects, rows of students outside
the lesson's group, freshness.

Serves `zavuch status` and the deck's Данные page, so both show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from etl.merge import sql_file
from queries.access import FULL, Access, connection

SQL_DIR = Path(__file__).parent

def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class WarehouseStatus:
    schools: pl.DataFrame
    years: pl.DataFrame
    periods: pl.DataFrame
    row_counts: pl.DataFrame
    batches: pl.DataFrame
    reject_reasons: pl.DataFrame
    outside_group: pl.DataFrame
    freshness: pl.DataFrame
    restored: pl.DataFrame  # the archive this warehouse was restored from (no row: it was loaded)

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        return {name: frame.to_dicts() for name, frame in self.__dict__.items()}


def warehouse_status(con: duckdb.DuckDBPyConnection, *, last_batches: int = 10,
                     access: Access = FULL) -> WarehouseStatus:
    """Counts, batches and freshness; an IT administrator sees them (no student rows), a restricted user
    sees them over their own rows only."""
    if access.sees_student_data:
        con = connection(con, access)
    return WarehouseStatus(
        schools=con.sql(_sql("status_schools")).pl(),
        years=con.sql(_sql("status_years")).pl(),
        periods=con.sql(_sql("status_periods")).pl(),
        row_counts=con.sql(_sql("status_row_counts")).pl(),
        batches=con.sql(_sql("status_batches"), params={"limit": last_batches}).pl(),
        reject_reasons=con.sql(sql_file("reject_reasons.sql"), params={"batch_id": None, "limit": None}).pl(),
        outside_group=con.sql(_sql("status_outside_group")).pl(),
        freshness=con.sql(_sql("status_freshness")).pl(),
        restored=con.sql(_sql("status_restored")).pl(),
    )


def real_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The real sources (not the demo generator) that batches came from, in name order."""
    return [r[0] for r in con.execute(_sql("real_sources")).fetchall()]


def has_real_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any batch came from a real source (not the demo generator)."""
    return bool(real_sources(con))
