"""Helpers shared by the adapter tests: the samples folder and warehouse look-ups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl.warehouse import connect_readonly

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.exists():  # the tree lives at /work/main; the samples at /work/shared
    SAMPLES = Path("/work/shared/samples")


def query(db: Path, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    con = connect_readonly(db)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()
