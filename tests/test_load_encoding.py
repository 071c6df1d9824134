"""A Windows-1251 table with few capital letters is read as cp1251, not as mac_cyrillic (which shares its
lowercase letters): «Учебный год» must not load as «”чебный год»; a KOI8-R table is still read as KOI8-R."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.loader import load_bundle
from tests.load_fixtures import T0, query, school, write_bundle


def _with_year_periods(encoding: str, tmp: Path) -> Path:
    data = school()
    data["schools"][0]["name"] = "Школа 1"  # KOI8-R has no «№»
    data["homework"][0]["text"] = "Упр. 12, 14"
    data["periods"] = [
        {"id": pid, "school_id": "S1", "academic_year_id": "Y1", "name": name, "kind": kind, "number": num,
         "start_date": start, "end_date": end, "grade_from": lo, "grade_to": hi}
        for pid, name, kind, num, start, end, lo, hi in [
            ("PS1", "1 семестр", "semester", "1", "2025-09-01", "2025-12-26", "2", "9"),
            ("PS2", "2 семестр", "semester", "2", "2026-01-12", "2026-05-29", "2", "9"),
            ("PH1", "1 полугодие", "half_year", "1", "2025-09-01", "2025-12-26", "10", "11"),
            ("PH2", "2 полугодие", "half_year", "2", "2026-01-12", "2026-05-29", "10", "11"),
            ("PY29", "Учебный год", "year", "1", "2025-09-01", "2026-05-31", "2", "9"),
            ("PY1011", "Учебный год", "year", "1", "2025-09-01", "2026-05-31", "10", "11"),
        ]
    ]
    return write_bundle(tmp / encoding, data, encoding=encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_period_names_survive_the_encoding(tmp_path: Path, encoding: str) -> None:
    db = tmp_path / f"{encoding}.duckdb"
    load_bundle(_with_year_periods(encoding, tmp_path), db, now=T0)
    assert query(db, "SELECT id, name FROM periods ORDER BY id") == [
        ("PH1", "1 полугодие"), ("PH2", "2 полугодие"), ("PS1", "1 семестр"), ("PS2", "2 семестр"),
        ("PY1011", "Учебный год"), ("PY29", "Учебный год"),
    ]
    assert query(db, "SELECT name FROM schools") == [("Школа 1",)]
