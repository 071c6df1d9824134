"""The `zavuch` command end to end: the real console script in a subprocess, as a person runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ZAVUCH = Path(sys.executable).with_name("zavuch")


def run(*args: str, env_db: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160"}
    env.pop("ZAVUCH_DB", None)
    if env_db is not None:
        env["ZAVUCH_DB"] = str(env_db)
    return subprocess.run([str(ZAVUCH), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_console_script_is_installed():
    assert ZAVUCH.exists(), "pip install -e . must install the `zavuch` console script"


@pytest.mark.parametrize("command", [[], ["demo"], ["load"], ["status"], ["metrics"]])
def test_every_command_has_plain_help(command):
    r = run(*command, "--help")
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout or "Использование" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_status_json_reports_the_loaded_demo_school(demo_school):
    r = run("status", "--json", "--db", str(demo_school.db))
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    counts = {row["table_name"]: row["rows"] for row in st["row_counts"]}
    bundle_rows = {p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in demo_school.bundle.glob("*.csv")}
    for table in ("people", "lessons", "marks", "attendance", "homework", "final_marks"):
        assert counts[table] == bundle_rows[table], table
    assert len(st["schools"]) == 1 and st["schools"][0]["students"] > 700
    assert {p["kind"] for p in st["periods"]} >= {"semester", "half_year"}
    assert st["batches"][0]["rows_rejected"] == 0
    assert st["freshness"][0]["last_lesson_date"].startswith("2026-05")


def test_status_reads_the_warehouse_named_by_the_environment(demo_school):
    r = run("status", "--json", env_db=demo_school.db)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["warehouse"] == str(demo_school.db)


def test_status_without_a_warehouse_says_what_to_do(tmp_path):
    r = run("status", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2
    assert "zavuch load" in r.stderr and "Traceback" not in r.stderr


def test_load_refuses_unusable_input_with_exit_2_and_writes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    (tmp_path / "notes.txt").write_text("не пакет")
    for target in (tmp_path / "missing", tmp_path / "notes.txt"):
        r = run("load", str(target), "--db", str(db))
        assert r.returncode == 2, r.stdout
        assert "Ошибка:" in r.stderr and "Ничего не записано" in r.stderr and "Traceback" not in r.stderr
    assert not db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_demo_then_reload_is_unchanged_and_a_real_warehouse_is_protected(tmp_path, demo_school):
    bundle = tmp_path / "bundle"
    shutil.copytree(demo_school.bundle, bundle)
    db = tmp_path / "w.duckdb"
    r = run("demo", "--out", str(bundle), "--db", str(db), "--no-serve")
    assert r.returncode == 0, r.stderr
    assert "уже создан" in r.stderr  # same seed and size: the deterministic bundle is reused
    assert "Школы" in r.stdout and "отметки" in r.stdout
    before = db.stat().st_mtime_ns
    r = run("load", str(bundle), "--db", str(db))
    assert r.returncode == 0 and "Пакет уже загружен" in r.stderr
    assert db.stat().st_mtime_ns == before

    real = tmp_path / "real"
    real.mkdir()
    (real / "manifest.toml").write_text('source_system = "zavuch"\nmode = "delta"\n')
    (real / "schools.csv").write_text("id;name\nR1;Школа № 5\n", encoding="utf-8")
    assert run("load", str(real), "--db", str(db)).returncode == 0
    r = run("demo", "--out", str(bundle), "--db", str(db), "--no-serve")
    assert r.returncode == 2 and "реальные данные" in r.stderr


def test_loads_and_documents_from_the_command_line_are_audited(tmp_path, demo_school):
    from access import audit, store

    db = tmp_path / "w.duckdb"
    assert run("load", str(demo_school.bundle), "--db", str(db)).returncode == 0
    assert run("load", str(demo_school.bundle), "--db", str(db)).returncode == 0  # unchanged, still recorded
    period = json.loads(run("status", "--json", "--db", str(db)).stdout)["periods"][0]["period_id"]
    out = tmp_path / "s.docx"
    r = run("spravka", "--period", period, "--date", "2026-06-10", "--format", "docx", "--out", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    with store.open_store(store.resolve_store_path(db)) as con:
        log = audit.entries(con).sort("id")
    assert log["action"].to_list() == ["load", "load", "document"]
    assert log["login"].str.starts_with("cli:").all()
    details = [json.loads(d) for d in log["detail"]]
    assert [d.get("status") for d in details[:2]] == ["loaded", "unchanged"]
    assert details[2]["command"] == "spravka" and details[2]["file"] == str(out.resolve())



def test_students_rows_printed_by_a_command_are_audited(tmp_path, demo_school):
    """`zavuch metrics NAME` and `zavuch forecast` print students' names, marks and risks (children's personal
    data) and left no trace in the log the director answers a parent's complaint from; now each such output is
    an `export` entry (command, filters, rows, students), while rows without students (teachers) are not."""
    from access import audit, store

    db = tmp_path / "w.duckdb"
    shutil.copy(demo_school.db, db)
    period = "s001-per-s1"
    r = run("metrics", "period_mark_mismatch", "--period", period, "--as-of", "2026-06-10", "--format", "csv", "--db", str(db))
    assert r.returncode == 0, r.stderr
    printed = r.stdout.strip().splitlines()[1:]  # the header line, then one line per row
    assert printed
    assert run("metrics", "teacher_workload", "--period", period, "--db", str(db)).returncode == 0
    r = run("forecast", "--as-of", "2026-03-10", "--class", "s001-g044", "--format", "json", "--db", str(db))
    assert r.returncode == 0, r.stderr
    forecast = json.loads(r.stdout)
    with store.open_store(store.resolve_store_path(db)) as con:
        log = audit.entries(con).sort("id")
    assert log["action"].to_list() == ["export", "export"]
    assert log["login"].str.starts_with("cli:").all()
    metric, pupils = (json.loads(d) for d in log["detail"])
    assert (metric["command"], metric["format"], metric["period_id"], metric["rows"]) == (
        "metrics period_mark_mismatch", "csv", period, len(printed))
    assert (pupils["command"], pupils["group_id"], pupils["as_of"], pupils["rows"], pupils["students"]) == (
        "forecast", "s001-g044", "2026-03-10", len(forecast), len({row["student_id"] for row in forecast}))
    # a log it cannot write: the rows are not printed unlogged, and the refusal is a sentence, not a traceback
    (tmp_path / "notes.txt").write_text("x")
    env = {**os.environ, "ZAVUCH_ACCESS_DB": str(tmp_path / "notes.txt" / "access.sqlite")}
    r = subprocess.run([str(ZAVUCH), "metrics", "period_mark_mismatch", "--period", period, "--as-of", "2026-06-10",
                        "--db", str(db)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert (r.returncode, r.stdout) == (2, "")
    assert "журнал действий" in r.stderr and "без записи в журнал не выводятся" in r.stderr
    assert "Traceback" not in r.stderr
