"""The batch clock: two loads in the same second both land (a batch's time is its second, so the second
one waits for the next), instead of the second being refused with «проверьте часы компьютера»."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from etl import loader
from etl.loader import load_bundle
from tests.load_fixtures import school, write_bundle

T = datetime(2026, 11, 29, 7, 30, 0)


def test_two_loads_within_one_second_both_land(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the clock as each load reads it: at its start (the batch time) and at its end; the second load
    # starts within the first one's second, waits, and reads the clock again
    readings = [T + timedelta(seconds=s) for s in (0.2, 0.5, 0.7, 1.1, 1.3)]

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206  (datetime.now's own signature)
            return readings.pop(0)

    monkeypatch.setattr(loader, "datetime", Clock)
    second = school()
    second["marks"] = second["marks"][:-1]  # another snapshot: one mark fewer
    db = tmp_path / "w.duckdb"
    a = load_bundle(write_bundle(tmp_path / "a", school()), db)
    b = load_bundle(write_bundle(tmp_path / "b", second), db)  # read 07:30:00.7: the first batch's second
    assert (a.status, b.status) == ("loaded", "loaded") and not readings
    con = duckdb.connect(str(db), read_only=True)
    try:
        times = [r[0] for r in con.execute("SELECT started_at FROM import_batches ORDER BY batch_id").fetchall()]
    finally:
        con.close()
    assert times == [T, T + timedelta(seconds=1)]
