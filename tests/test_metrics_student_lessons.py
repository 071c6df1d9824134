"""The student × lesson family of bases (scope_student_days, scope_student_subjects,
scope_lesson_attendance) is counted from memberships × lesson totals plus the sparse attendance rows,
never by expanding every student-lesson. Here it is checked by hand on the fixture school (double
lesson, subgroup, a student moving class mid-semester, a cancelled lesson, a roll entry for a student no
longer in the group) and, row for row, against that expansion (student_lessons of _setup.sql)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import queries
from etl.norms import load_norms
from queries import bases
from queries.runner import bind, ensure_setup
from queries.scope import resolve
from tests.metrics_fixtures import AS_OF, D, SEM, school

# What each base is, written over the expansion: one row per held lesson × member that day × roll row.
EXPANDED = {
    "scope_student_days": """
        SELECT student_id, school_id, class_id, grade, lesson_date, count(*) AS lessons,
               count(*) FILTER (WHERE is_absent) AS absences,
               count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
               count(*) FILTER (WHERE attendance_status = 'absent_excused') AS absent_excused,
               count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS absent_unexcused,
               count(*) FILTER (WHERE attendance_status = 'late') AS late
        FROM sl GROUP BY student_id, school_id, class_id, grade, lesson_date""",
    "scope_lesson_attendance": """
        SELECT lesson_id, attendance_status, is_absent, count(*) AS students
        FROM sl GROUP BY lesson_id, attendance_status, is_absent""",
    "scope_student_subjects": """
        SELECT student_id, subject_id, count(*) AS lessons, count(*) FILTER (WHERE is_absent) AS absences,
               count(*) FILTER (WHERE NOT is_absent) AS lessons_attended
        FROM sl GROUP BY student_id, subject_id""",
}


def _school(duplicate_roll_row: bool):
    s = school()
    m1 = s.lesson("5a", "math", D(2025, 10, 14), 1)
    s.lesson("5a", "math", D(2025, 10, 14), 2)  # a double lesson: two student-lessons that day
    m3 = s.lesson("5a", "math", D(2025, 10, 20))  # the mover is in 5Б by now
    s.lesson("5a", "math", D(2025, 10, 21), status="cancelled")
    e1 = s.lesson("5a_eng1", "eng", D(2025, 10, 14), 3, teacher="t_eng")
    b1 = s.lesson("5b", "math", D(2025, 10, 20), 2)
    s.absent(m1, "a1", "Б")
    s.absent(e1, "a1", "П")
    s.absent(m3, "a2", "О")  # late is not an absence
    s.absent(m3, "mover", "Н")  # no longer a member of 5А: not his student-lesson
    s.absent(b1, "mover", "Н")
    if duplicate_roll_row:
        s.absent(b1, "b1", "Б")
        s.absent(b1, "b1", "О")
    return s


def _bases(s) -> dict[str, pl.DataFrame]:
    con = s.con
    ensure_setup(con)
    values = bind(resolve(con, queries.Scope(period_id=SEM[0], as_of=AS_OF)), load_norms())
    out = {}
    for name in EXPANDED:
        bases.ensure(con, f"SELECT * FROM {name}", values)
        out[name] = con.sql(f"SELECT * FROM {name}").pl()
    return out


def test_student_days_lesson_attendance_and_subjects_by_hand():
    got = _bases(_school(duplicate_roll_row=False))
    days = got["scope_student_days"].sort("student_id", "class_id", "lesson_date")
    assert days.select("student_id", "class_id", "lesson_date", "lessons", "absences", "absent_illness",
                       "absent_excused", "late").rows() == [
        ("a1", "5a", D(2025, 10, 14), 3, 2, 1, 1, 0), ("a1", "5a", D(2025, 10, 20), 1, 0, 0, 0, 0),
        ("a2", "5a", D(2025, 10, 14), 3, 0, 0, 0, 0), ("a2", "5a", D(2025, 10, 20), 1, 0, 0, 0, 1),
        ("a3", "5a", D(2025, 10, 14), 2, 0, 0, 0, 0), ("a3", "5a", D(2025, 10, 20), 1, 0, 0, 0, 0),
        ("a4", "5a", D(2025, 10, 14), 2, 0, 0, 0, 0), ("a4", "5a", D(2025, 10, 20), 1, 0, 0, 0, 0),
        ("b1", "5b", D(2025, 10, 20), 1, 0, 0, 0, 0),
        ("mover", "5a", D(2025, 10, 14), 2, 0, 0, 0, 0), ("mover", "5b", D(2025, 10, 20), 1, 1, 0, 0, 0),
    ]
    # 18 student-lessons (the days above), four of them with a roll entry
    per_lesson = got["scope_lesson_attendance"].group_by("attendance_status").agg(pl.col("students").sum())
    assert dict(per_lesson.rows()) == {None: 14, "absent_illness": 1, "absent_excused": 1,
                                       "late": 1, "absent_unexcused": 1}
    subjects = got["scope_student_subjects"].sort("student_id", "subject_id")
    assert subjects.select("student_id", "subject_id", "class_id", "lessons", "absences",
                           "lessons_attended").rows() == [
        ("a1", "eng", "5a", 1, 1, 0), ("a1", "math", "5a", 3, 1, 2),
        ("a2", "eng", "5a", 1, 0, 1), ("a2", "math", "5a", 3, 0, 3),
        ("a3", "math", "5a", 3, 0, 3), ("a4", "math", "5a", 3, 0, 3),
        ("b1", "math", "5b", 1, 0, 1),
        ("mover", "math", "5a", 3, 1, 2),  # two lessons in 5А, one (absent) in 5Б: most in 5А
    ]


@pytest.mark.parametrize("duplicate_roll_row", [False, True], ids=["one_row_each", "two_roll_rows"])
def test_family_equals_the_student_lesson_expansion(duplicate_roll_row):
    s = _school(duplicate_roll_row)
    got = _bases(s)
    s.con.execute("""CREATE TEMP TABLE sl AS SELECT * FROM student_lessons(
        DATE '2025-09-01', DATE '2025-12-26', NULL, 2, 9, NULL, NULL, NULL)""")
    for name, sql in EXPANDED.items():
        want = s.con.sql(sql).pl()
        keys = [c for c in want.columns if want.schema[c] != pl.Int64]
        assert_frame_equal(got[name].select(want.columns).sort(keys, nulls_last=True),
                           want.sort(keys, nulls_last=True), check_exact=True)
