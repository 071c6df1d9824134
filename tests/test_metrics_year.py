"""Year results: a period of kind 'year' reads the year marks of its academic year and grade band.

Base school (tests/metrics_fixtures.py) plus: the second semester p2, the year period «y» of 2025/2026
(grades 2–9) and «y24» of 2024/2025 (its previous year), a year period of grades 10–11 with a class 10А,
and year marks (final_marks kind 'year', no period) — every figure below is computed from `_year_school`.
"""

from __future__ import annotations

import json

import polars as pl

from tests.metrics_fixtures import D, School, T, _parse, school
from tests.test_metrics_cli import invoke
from tests.test_metrics_journal import norms_with, run

AFTER_YEAR = D(2026, 6, 15)  # the year has ended
YEAR_MARKS_ENTERED = T(2026, 5, 28, 10, 0)  # three days before the year's end

# Year marks of 2025/2026: (student, subject, group, value).
YEAR_MARKS = [
    ("a1", "math", "5a", "5"), ("a1", "lit", "5a", "5"), ("a1", "eng", "5a_eng1", "осв"),
    ("a2", "math", "5a", "4"), ("a2", "lit", "5a", "5"), ("a2", "eng", "5a_eng1", "2"),
    ("a3", "math", "5a", "3"), ("a3", "lit", "5a", "4"),
    ("a4", "math", "5a", "н/а"), ("a4", "lit", "5a", "4"),
    ("b1", "math", "5b", "4"), ("b1", "lit", "5b", "4"),
    ("mover", "math", "5b", "5"), ("mover", "lit", "5b", "4"),
]


def year_mark(s: School, student: str, subject: str, group: str, value: str,
              entered_at: T = YEAR_MARKS_ENTERED) -> str:
    """A year mark as the loader stores it: kind 'year', no period; the group ties it to its year."""
    num, kind, _ = _parse(value)
    school_id = s.con.execute("SELECT school_id FROM groups WHERE id = ?", [group]).fetchall()[0][0]
    return s.insert("final_marks", school_id=school_id, student_id=student, subject_id=subject, group_id=group,
                    period_id=None, kind="year", value_raw=value, value_num=num, value_kind=kind,
                    entered_at=entered_at)


def _year_school(path: str = ":memory:", *, with_year: bool = True) -> School:
    s = school(path)
    s.insert("periods", id="p2", school_id="s1", academic_year_id="y25", name="2 семестр", kind="semester",
             number=2, start_date=D(2026, 1, 12), end_date=D(2026, 5, 29), grade_from=2, grade_to=9)
    for pid, year, start, end, band in (("y", "y25", D(2025, 9, 1), D(2026, 5, 31), (2, 9)),
                                        ("y24", "y24", D(2024, 9, 1), D(2025, 5, 31), (2, 9)),
                                        ("y1011", "y25", D(2025, 9, 1), D(2026, 5, 31), (10, 11))):
        s.insert("periods", id=pid, school_id="s1", academic_year_id=year, name="Учебный год", kind="year",
                 number=1, start_date=start, end_date=end, grade_from=band[0], grade_to=band[1])
    s.insert("people", id="c1", school_id="s1", role="student", last_name="Жуков", first_name="Имя")
    s.insert("groups", id="10a", school_id="s1", academic_year_id="y25", name="10А", kind="class", grade=10)
    s.insert("memberships", group_id="10a", student_id="c1", valid_from=D(2025, 9, 1), valid_to=None)
    # Lessons of the year: 5А maths in September (a1 marked 5 and 4), 5А literature in February, 5Б maths.
    for day in (D(2025, 9, 8), D(2025, 9, 9)):
        lesson = s.lesson("5a", "math", day)
        s.mark(lesson, "a1", "5" if day.day == 8 else "4")
    s.lesson("5a", "lit", D(2026, 2, 2), teacher="t_eng")
    s.lesson("5b", "math", D(2025, 10, 20))
    # Semester marks: must not count in the year's results (but are the basis of a year mark's check).
    s.period_mark("a1", "math", "5a", "3")
    s.period_mark("a2", "math", "5a", "3")
    s.period_mark("a1", "math", "5a", "4", period="p2", entered_at=T(2026, 5, 28, 9, 0))
    s.period_mark("a2", "math", "5a", "5", period="p2", entered_at=T(2026, 5, 28, 9, 0))
    s.period_mark("a3", "math", "5a", "3", period="p2", entered_at=T(2026, 5, 28, 9, 0))
    if with_year:
        for row in YEAR_MARKS:
            year_mark(s, *row)
        year_mark(s, "c1", "math", "10a", "2")  # grades 10–11: another year period
        for st in ("a1", "a2"):  # the previous year, in 4А
            year_mark(s, st, "math", "4a", "5", entered_at=T(2025, 5, 28, 10, 0))
    return s


def test_year_results_success_quality_sou_and_change_against_the_previous_year():
    df = run(_year_school(), "results_summary", period_id="y", as_of=AFTER_YEAR)
    rows = {(r["dimension"], r["key"]): r for r in df.iter_rows(named=True)}
    school_row = rows[("school", "all")]
    # 14 year marks of grades 2–9 less a1's «осв»: N = 13 = four «5», six «4», one «3», one «2», one «н/а»;
    # успеваемость 11/13 = 84.6, качество 10/13 = 76.9, СОУ (4·100 + 6·64 + 36 + 16 + 7) / 13 = 843/13 = 64.8.
    assert (school_row["n"], school_row["n5"], school_row["n4"], school_row["n3"], school_row["n2"],
            school_row["n_na"], school_row["n_exempt"]) == (13, 4, 6, 1, 1, 1, 1)
    assert (school_row["success_pct"], school_row["quality_pct"], school_row["sou_pct"]) == (84.6, 76.9, 64.8)
    # The previous year (y24, same band): a1 and a2 «5» in 4А: 100 % everywhere.
    assert (school_row["prev_success_pct"], school_row["prev_quality_pct"], school_row["prev_sou_pct"]) == (
        100.0, 100.0, 100.0)
    assert (school_row["success_change"], school_row["quality_change"], school_row["sou_change"]) == (
        -15.4, -23.1, -35.2)
    # 5А: a1 5 5, a2 4 5 2, a3 3 4, a4 н/а 4 = 9; 5Б: b1 4 4, mover 5 4 = 4 (100 %, 100 %).
    assert (rows[("class", "5a")]["n"], rows[("class", "5b")]["n"]) == (9, 4)
    assert (rows[("class", "5b")]["success_pct"], rows[("class", "5b")]["quality_pct"]) == (100.0, 100.0)
    maths = rows[("subject", "math")]  # 5, 4, 3, н/а, 4, 5: 5/6, 4/6, (200 + 128 + 36 + 7) / 6 = 61.8
    assert (maths["n"], maths["success_pct"], maths["quality_pct"], maths["sou_pct"]) == (6, 83.3, 66.7, 61.8)
    # The mean year grade and the mean of the students' current maths marks over the year (a1: 4.5).
    assert rows[("subject", "math")]["avg_period_mark"] == 4.2  # (5 + 4 + 3 + 4 + 5) / 5
    assert rows[("subject", "math")]["avg_current_mark"] == 4.5
    # a course with no curriculum teacher and no author: a teacher row without a key, not a second «all»
    assert ("teacher", "all") not in rows and ("teacher", None) in rows
    # 10А's year mark belongs to the 10–11 year period only.
    assert ("class", "10a") not in rows
    senior = run(_year_school(), "results_summary", period_id="y1011", as_of=AFTER_YEAR)
    assert senior.filter(pl.col("dimension") == "school").select("n", "n2", "success_pct").rows() == [(1, 1, 0.0)]


def test_year_student_categories():
    df = run(_year_school(), "student_categories", period_id="y", as_of=AFTER_YEAR)
    got = {r["student_id"]: (r["class_id"], r["category"], r["one_four"]) for r in df.iter_rows(named=True)}
    assert got == {"a1": ("5a", "excellent", False), "a2": ("5a", "failing", False),
                   "a3": ("5a", "one_three", False), "a4": ("5a", "not_attested", False),
                   "b1": ("5b", "good", False), "mover": ("5b", "good", True)}


def test_year_summary_sheet():
    df = run(_year_school(), "summary_sheet", period_id="y", subject_id="math", as_of=AFTER_YEAR)
    # Members of a maths course at the year's end; the mover left 5А in October and ends the year in 5Б.
    assert df.select("class_id", "student_id", "period_mark", "counted_marks", "avg_mark").rows() == [
        ("5a", "a1", "5", 2, 4.5), ("5a", "a2", "4", 0, None), ("5a", "a3", "3", 0, None),
        ("5a", "a4", "н/а", 0, None), ("5b", "b1", "4", 0, None), ("5b", "mover", "5", 0, None)]


def test_year_mark_is_checked_against_the_period_marks():
    df = run(_year_school(), "period_mark_mismatch", period_id="y", as_of=AFTER_YEAR)
    # a1: semesters 3 and 4, mean 3.50 → «4», year «5» (its current marks 5, 4 would round to «5»: not the
    # basis). a2: 3 and 5 → 4.00 = «4». a3: only the 2nd semester, «3» = «3».
    assert df.select("student_id", "subject_id", "counted_marks", "weighted_avg", "expected_mark",
                     "period_mark", "detail").rows() == [("a1", "math", 2, 3.5, 4, "5", "3.50→5")]


def test_year_mark_on_a_tie_of_the_period_marks_may_go_either_way():
    s = _year_school(with_year=False)
    year_mark(s, "a1", "math", "5a", "3")  # semesters 3 and 4: mean 3.50, a disputed «3» or «4»
    year_mark(s, "a2", "math", "5a", "3")  # semesters 3 and 5: mean 4.00, «4»; a «3» is no tie
    df = run(s, "period_mark_mismatch", period_id="y", as_of=AFTER_YEAR)
    assert df.select("student_id", "detail").rows() == [("a2", "4.00→3")]
    strict = norms_with(rounding={"year_tie_either": False})
    df = run(s, "period_mark_mismatch", strict, period_id="y", as_of=AFTER_YEAR)
    assert df.select("student_id", "detail").rows() == [("a1", "3.50→3"), ("a2", "4.00→3")]


def test_year_mark_missing_and_late_and_no_marks_minimum():
    s = _year_school()
    s.lesson("5a", "pe", D(2025, 9, 10), teacher="t_sub")
    year_mark(s, "a1", "pe", "5a", "осв", entered_at=T(2026, 6, 3, 9, 0))  # 3 days after the year's end
    s.period_mark("a2", "pe", "5a", "5")  # a semester mark is no year mark
    missing = run(s, "period_mark_missing", period_id="y", as_of=AFTER_YEAR)
    assert missing.select("student_id", "subject_id").rows() == [("a2", "pe"), ("a3", "pe"), ("a4", "pe")]
    assert run(s, "period_mark_missing", period_id="y", as_of=D(2026, 5, 31)).is_empty()  # not ended yet
    late = run(s, "period_mark_late", period_id="y", as_of=AFTER_YEAR)
    assert late.select("student_id", "subject_id", "days_after_end").rows() == [("a1", "pe", 3)]
    # The marks minimum is per semester: the year period lists nobody, the semester does (a2: no marks).
    assert run(s, "too_few_marks", period_id="y", as_of=AFTER_YEAR).is_empty()
    assert "a2" in run(s, "too_few_marks", period_id="p1", as_of=AFTER_YEAR)["student_id"].to_list()


def test_semester_figures_do_not_change_with_year_marks():
    s, bare = _year_school(), _year_school(with_year=False)
    names = ("results_summary", "student_categories", "summary_sheet", "period_mark_mismatch",
             "period_mark_missing", "period_mark_late", "too_few_marks")
    for name in names:
        assert run(s, name, as_of=AFTER_YEAR).equals(run(bare, name, as_of=AFTER_YEAR)), name
    school_row = run(s, "results_summary", as_of=AFTER_YEAR).filter(pl.col("dimension") == "school").row(0, named=True)
    # p1: a1 and a2 «3» in maths: N = 2, успеваемость 100, качество 0, СОУ 36; no earlier semester marks.
    assert (school_row["n"], school_row["success_pct"], school_row["quality_pct"], school_row["sou_pct"],
            school_row["prev_success_pct"]) == (2, 100.0, 0.0, 36.0, None)


def test_cli_prints_the_year_results(tmp_path):
    path = tmp_path / "wh.duckdb"
    _year_school(str(path)).con.close()
    common = ["--period", "y", "--as-of", "2026-06-15", "--db", str(path)]
    out = invoke("results_summary", *common, "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)["rows"]
    school_row = next(r for r in rows if r["dimension"] == "school")
    assert (school_row["n"], school_row["success_pct"], school_row["quality_pct"]) == (13, 84.6, 76.9)
    table = invoke("results_summary", *common)
    # school, level 5-9, classes 5А and 5Б, three subjects, three teachers (5Б literature has none)
    assert table.exit_code == 0 and "10 строк" in table.output.replace("\u00a0", " ")
