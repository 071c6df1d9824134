"""The year's rows of every warehouse table as Parquet (for restore) and CSV (for people).

What belongs to a year is written in sql/tables/<table>.sql, one file per table. Every table of the
warehouse must have one: a table added to etl/schema.sql without it is refused rather than silently
left out of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.archive import sql
from etl.archive.errors import ArchiveError

DATA_DIR = "data"
CSV_DIR = "csv"


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    parquet: str  # path inside the archive
    csv: str


def warehouse_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()]


def export_tables(con: duckdb.DuckDBPyConnection, school_id: str, year_id: str, root: Path) -> list[ExportedTable]:
    """Write data/<table>.parquet and csv/<table>.csv under `root` for every warehouse table."""
    known = set(sql.table_names())
    missing = [t for t in warehouse_tables(con) if t not in known]
    if missing:
        raise ArchiveError("в хранилище есть таблицы, для которых не описано, что из них архивировать: "
                           + ", ".join(missing) + " (etl/archive/sql/tables/)")
    (root / DATA_DIR).mkdir()
    (root / CSV_DIR).mkdir()
    values = {"school_id": school_id, "year_id": year_id}
    out = []
    for table in warehouse_tables(con):
        rel = sql.relation(con, f"tables/{table}", values)
        parquet = f"{DATA_DIR}/{table}.parquet"
        csv = f"{CSV_DIR}/{table}.csv"
        rel.write_parquet(str(root / parquet), compression="zstd")
        # People open CSV in Excel with Russian settings: UTF-8 with BOM, «;» between fields, decimal comma.
        frame = rel.pl()
        frame.write_csv(root / csv, separator=";", include_bom=True, decimal_comma=True,
                        datetime_format="%Y-%m-%d %H:%M:%S", date_format="%Y-%m-%d")
        out.append(ExportedTable(table, frame.height, parquet, csv))
    return out
