"""The load's «частые причины отклонения» group rows that differ only in the offending value: marks of
twelve different missing lessons are one reason with an example, so the lessons' own reason, rejected
fewer times, still shows among the top reasons instead of being pushed out by twelve near-identical rows."""

from __future__ import annotations

from pathlib import Path

from etl.loader import load_bundle
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
