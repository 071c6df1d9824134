"""The load's «частые причины отклонения» group rows that differ only in the offending value: marks of
twelve different missing lessons are one reason with an example, so the lessons' own reason, rejected
fewer times, still shows among the top reasons instead of being pushed out by twelve near-identical rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from etl.loader import load_bundle
from etl.warehouse import connect_readonly
from queries.status import warehouse_status
from tests.load_fixtures import MARK_FORMS, T0, school, write_bundle, write_csv


def test_reasons_differing_only_in_the_value_are_one(tmp_path: Path) -> None:
    data = school()
    data.pop("marks")
    data.pop("lessons")
    bundle = write_bundle(tmp_path / "b", data)
    write_csv(bundle / "lessons.csv", ["id", "group_id", "subject_id", "lesson_date", "actual_teacher_id"],
              [["L1", "G5A", "MATH", "2025-09-02", "T1"], ["L2", "G5A", "PHYS", "2025-09-03", "T1"],
               ["L3", "G5A", "CHEM", "2025-09-04", "T1"]])
    marks = [[f"K{i}", "P1", f"L{i + 10}", "5"] for i in range(12)]  # twelve lessons that do not exist
    marks += [["K90", "P1", "L1", "9"], ["K91", "P1", "L1", "5"]]
    write_csv(bundle / "marks.csv", ["id", "student_id", "lesson_id", "value"], marks)
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert [(r.table, r.reason, r.rows) for r in report.top_reject_reasons] == [
        ("marks", "урок … не найден (например, L10)", 12),
        ("lessons", "предмет … не найден (например, CHEM)", 2),
        ("attendance", "урок L2 не найден", 1),  # the fixture's absence on L2 (a lesson of PHYS)
        ("marks", f"отметка «9» не распознана: {MARK_FORMS}", 1),
    ]


def _marks_of_missing_lessons(bundle: Path, file_name: str, first: int) -> None:
    write_csv(bundle / file_name, ["id", "student_id", "lesson_id", "value"],
              [[f"K{first + i}", "P1", f"L{first + i}", "5"] for i in range(2)])


def test_reasons_are_counted_per_file_the_admin_fixes(tmp_path: Path) -> None:
    """The summary said «отметки: урок … не найден — 2» (the table), while the admin fixes files: it now
    names the file («Отметки 2 четверть.csv»), and `zavuch status` counts a reason per file across batches
    instead of adding the rows of two different files into one line."""
    data = school()
    data.pop("marks")
    first = write_bundle(tmp_path / "b1", data)
    _marks_of_missing_lessons(first, "Отметки.csv", 10)
    db = tmp_path / "w.duckdb"
    report = load_bundle(first, db, now=T0)
    assert [(r.file, r.table, r.reason, r.rows) for r in report.top_reject_reasons] == [
        ("Отметки.csv", "marks", "урок … не найден (например, L10)", 2),
    ]
    assert "  Отметки.csv (отметки): урок … не найден (например, L10) — 2" in report.summary().splitlines()
    second = write_bundle(tmp_path / "b2", {"marks": []}, manifest='mode = "delta"\n')
    _marks_of_missing_lessons(second, "marks.csv", 20)
    load_bundle(second, db, now=T0 + timedelta(hours=1))
    con = connect_readonly(db)
    try:
        reasons = warehouse_status(con).reject_reasons.select("file_name", "table_name", "reason", "rows").rows()
    finally:
        con.close()
    assert reasons == [("marks.csv", "marks", "урок … не найден (например, L20)", 2),
                       ("Отметки.csv", "marks", "урок … не найден (например, L10)", 2)]


def test_an_import_s_reasons_name_the_system_s_file(tmp_path: Path) -> None:
    """An import's bundle file (marks.csv) is a temporary the admin never saw: the reason names the file its
    rows came from in the system's export, as each rejected row's source_place does."""
    data = school()
    data.pop("marks")
    bundle = write_bundle(tmp_path / "b", data)
    _marks_of_missing_lessons(bundle, "marks.csv", 10)
    places = {"marks.csv": ["responses.jsonl, строка 7 (edu-groups/1/marks), запись 1",
                            "responses.jsonl, строка 7 (edu-groups/1/marks), запись 2"]}
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0, places=places)
    assert [(r.file, r.table, r.rows) for r in report.top_reject_reasons] == [("responses.jsonl", "marks", 2)]
