"""`zavuch status` as the IT administrator and the deputy read it: the periods with the ids that --period
asks for, and each rejected row with its file, line, column, value and reason (the load's summary
sends the reader here for them)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from etl.loader import load_bundle
from tests.load_fixtures import MARK_FORMS, T0, school, write_bundle, write_csv

ZAVUCH = Path(sys.executable).with_name("zavuch")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("│").split("│")]


def test_status_lists_periods_and_rejected_rows(tmp_path: Path) -> None:
    data = school()
    data["periods"] = [
        {"id": "S1-P2", "school_id": "S1", "academic_year_id": "Y1", "name": "2 семестр", "kind": "semester",
         "number": "2", "start_date": "2026-01-12", "end_date": "2026-05-29", "grade_from": "2", "grade_to": "9"},
        {"id": "S1-P1", "school_id": "S1", "academic_year_id": "Y1", "name": "1 семестр", "kind": "semester",
         "number": "1", "start_date": "2025-09-01", "end_date": "2025-12-26", "grade_from": "2", "grade_to": "9"},
    ]
    data.pop("marks")
    bundle = write_bundle(tmp_path / "b", data)
    write_csv(bundle / "marks.csv", ["Ид", "Ученик", "Урок", "Отметка"],
              [["K1", "P1", "L1", "5"], ["K2", "P1", "L9", "4"], ["K3", "P1", "L1", "7"]])
    db = tmp_path / "w.duckdb"
    load_bundle(bundle, db, now=T0)
    env = {**os.environ, "COLUMNS": "200"}
    r = subprocess.run([str(ZAVUCH), "status", "--db", str(db)], capture_output=True, text=True, env=env,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    periods = [_cells(line) for line in lines if line.startswith("│ S1-P")]
    assert periods == [["S1-P1", "1 семестр", "01.09.2025", "26.12.2025", "2–9"],
                       ["S1-P2", "2 семестр", "12.01.2026", "29.05.2026", "2–9"]]
    title = next(line for line in lines if "Отклонённые строки" in line)
    assert "последние 2 из 2" in title
    rejected = [_cells(line) for line in lines if line.startswith("│ 1 ") and "marks.csv" in line]
    assert rejected == [["1", "marks.csv", "3", "Урок", "L9", "урок L9 не найден"],
                        ["1", "marks.csv", "4", "Отметка", "7", f"отметка «7» не распознана: {MARK_FORMS}"]]
    # the batch and the freshness read as the periods do (dd.mm.yyyy, «1 234»), not «2026-11-29 11:25:16»
    batch = [_cells(line) for line in lines if line.startswith("│ 1 ") and "загружена" in line]
    assert batch == [["1", "zavuch", "загружена", f"{T0:%d.%m.%Y %H:%M}", "22", "0", "2", "0"]]
    freshness = next(line for line in lines if line.startswith("Свежесть"))
    assert re.fullmatch(r"Свежесть \(«Школа № 1»\): последний урок 04\.09\.2025, последняя отметка внесена —, "
                        r"последняя загрузка \d\d\.\d\d\.\d{4} \d\d:\d\d", freshness), freshness


def test_status_groups_reasons_that_differ_only_in_the_value_as_the_load_summary_does(tmp_path: Path) -> None:
    from etl.warehouse import connect_readonly
    from queries.status import warehouse_status

    data = school()
    data.pop("marks")
    bundle = write_bundle(tmp_path / "b", data)
    write_csv(bundle / "marks.csv", ["Ид", "Ученик", "Урок", "Отметка"],
              [["K1", "P1", "L1", "5"], ["K2", "P1", "L9", "4"], ["K3", "P1", "L10", "7"]])
    db = tmp_path / "w.duckdb"
    report = load_bundle(bundle, db, now=T0)
    write_csv(bundle / "marks.csv", ["Ид", "Ученик", "Урок", "Отметка"],
              [["K1", "P1", "L1", "5"], ["K2", "P1", "L9", "4"], ["K4", "P1", "L11", "3"]])
    load_bundle(bundle, db, now=T0 + dt.timedelta(days=1))
    con = connect_readonly(db)
    try:
        reasons = warehouse_status(con).reject_reasons.to_dicts()
    finally:
        con.close()
    # K3 (line 4) has two rejects, lesson and mark: one row, counted once
    assert reasons == [
        {"file_name": "marks.csv", "table_name": "marks", "reason": "урок … не найден (например, L10)", "rows": 4,
         "first_batch": 1, "last_batch": 2},
        {"file_name": "marks.csv", "table_name": "marks", "reason": f"отметка «7» не распознана: {MARK_FORMS}",
         "rows": 1, "first_batch": 1, "last_batch": 1},
    ]
    r = subprocess.run([str(ZAVUCH), "status", "--db", str(db)], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"}, timeout=120, check=False)
    assert "последние 5 из 5" in r.stdout  # rejected_rows entries: K3's line has two
    assert [(r.table, r.reason, r.rows) for r in report.top_reject_reasons] == [
        ("marks", "урок … не найден (например, L10)", 2), ("marks", f"отметка «7» не распознана: {MARK_FORMS}", 1)]


def test_status_tells_of_marks_and_absences_of_a_student_outside_the_lesson_s_class(tmp_path: Path) -> None:
    """A mark for a pupil who had left loads with a flag that nothing showed: the school never learnt of it."""
    data = school()  # P2 left 5А on 02.09.2025; L2 is 5А's lesson of 03.09.2025
    data["marks"].append({"id": "K9", "student_id": "P2", "lesson_id": "L2", "value": "2", "entered_at": "2025-09-03 12:00"})
    data["attendance"].append({"id": "A9", "student_id": "P2", "lesson_id": "L2", "code": "н"})
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "b", data), db, now=T0)
    env = {**os.environ, "COLUMNS": "250"}
    r = subprocess.run([str(ZAVUCH), "status", "--db", str(db)], capture_output=True, text=True, env=env,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert ("Ученик не состоял в классе (группе) урока на дату урока: отметки — 1, пропуски и опоздания — 1. "
            "Строки загружены;") in r.stdout
    r = subprocess.run([str(ZAVUCH), "status", "--json", "--db", str(db)], capture_output=True, text=True, env=env,
                       timeout=120, check=False)
    assert json.loads(r.stdout)["outside_group"] == [{"table_name": "marks", "rows": 1},
                                                     {"table_name": "attendance", "rows": 1}]


def test_status_says_nothing_of_it_when_every_student_was_in_the_class(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "b", school()), db, now=T0)
    r = subprocess.run([str(ZAVUCH), "status", "--db", str(db)], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "250"}, timeout=120, check=False)
    assert r.returncode == 0 and "не состоял в классе" not in r.stdout
