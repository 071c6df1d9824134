"""A load killed mid-way leaves the previous warehouse; readers never block or see a torn state;
a second loader is refused while one runs."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

from etl.loader import LoaderBusy, load_bundle
from etl.swap import work_dir_for
from tests.load_fixtures import ROOT, T0, query, run_loader_subprocess, school, write_bundle


def _bigger_school() -> dict:
    data = school()
    data["marks"] += [
        {"id": f"X{i}", "student_id": "P1", "lesson_id": "L2", "value": str(2 + i % 4)} for i in range(500)
    ]
    return data


def _wait_for(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.05)


def test_kill_9_inside_transaction_keeps_previous_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = run_loader_subprocess(write_bundle(tmp_path / "v2", _bigger_school()), db, {"ZAVUCH_LOAD_HOLD_SECONDS": "60"})
    _wait_for(work_dir_for(db) / "warehouse.duckdb")
    time.sleep(1.5)  # well inside the transaction (the hold waits before COMMIT)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert query(db, "SELECT count(*) FROM marks") == [(4,)]
    assert query(db, "SELECT count(*) FROM import_batches") == [(1,)]
    # The next load cleans the stale work folder and lock, and succeeds.
    report = load_bundle(write_bundle(tmp_path / "v2b", _bigger_school()), db)
    assert report.status == "loaded" and report.batch_id == 2
    assert query(db, "SELECT count(*) FROM marks") == [(504,)]
    assert not work_dir_for(db).exists()


def test_second_loader_is_refused_while_one_runs(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    proc = run_loader_subprocess(write_bundle(tmp_path / "v2", _bigger_school()), db, {"ZAVUCH_LOAD_HOLD_SECONDS": "3"})
    _wait_for(work_dir_for(db) / "warehouse.duckdb")
    try:
        load_bundle(write_bundle(tmp_path / "v3", school() | {"homework": []}), db)
        raise AssertionError("second loader was not refused")
    except LoaderBusy as e:
        assert "идёт другая загрузка" in str(e)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.split() == ["loaded", "2"]


READER = """
import sys, time
from etl.warehouse import connect_readonly
db, stop = sys.argv[1], sys.argv[2]
seen = set()
import os
while not os.path.exists(stop):
    con = connect_readonly(db)
    try:
        n = con.execute("SELECT count(*) FROM marks").fetchone()[0]
        b = con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    finally:
        con.close()
    seen.add((n, b))
print(sorted(seen))
"""


def test_reader_keeps_answering_during_a_load(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        env={"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        proc = run_loader_subprocess(write_bundle(tmp_path / "v2", _bigger_school()), db, {"ZAVUCH_LOAD_HOLD_SECONDS": "1"})
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        time.sleep(1.0)
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert out.strip() == "[(4, 1), (504, 2)]"
