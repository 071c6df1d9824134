"""Shared helpers for the demo generator tests: a DuckDB view of a bundle folder's CSV files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from etl.bundle_spec import TABLES


def bundle_connection(path: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one all-text view per bundle table (empty field = NULL) and ground_truth."""
    con = duckdb.connect(":memory:")
    for name in [t.name for t in TABLES] + ["ground_truth"]:
        f = str(path / f"{name}.csv").replace("'", "''")
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_csv('{f}', header = true, all_varchar = true, "
            f"delim = ',', quote = '\"', nullstr = '')"
        )
    return con


def file_hashes(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}
