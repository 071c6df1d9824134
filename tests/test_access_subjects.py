"""Attendance by subject for a methodologist: a subject taught to a small group only (an elective, an
English subgroup of two, a pupil taught at home) is a breakdown row about those few children, with their
absences by illness; it was kept as a row «about the whole scope».

The base school (tests/metrics_fixtures.py), semester p1: maths for 5А (a1…a4, the mover until 15 Oct) and
5Б (the mover from 16 Oct, b1), PE for 5А, English only for the subgroup 5А англ. 1 гр. (a1, a2) — 6 pupils
in the school, 2 in English.
"""

from __future__ import annotations

import polars as pl

import queries
from queries.access import Access
from tests.metrics_fixtures import AS_OF, D, school

METHODOLOGIST = Access(role="methodologist", pseudonymise=True, min_group_size=5, key=b"k" * 32)
SCOPE = queries.Scope(period_id="p1", as_of=AS_OF)


def _school():
    s = school()
    for day in (D(2025, 9, 8), D(2025, 9, 15), D(2025, 11, 10)):
        s.lesson("5a", "math", day)
        s.lesson("5b", "math", day, number=2)
        s.lesson("5a", "pe", day, number=3, teacher="t_sub")
        eng = s.lesson("5a_eng1", "eng", day, number=4, teacher="t_eng")
        s.absent(eng, "a1", "Б")  # a1 is ill on every English day
    return s


def test_a_subject_of_two_pupils_is_not_shown_to_a_methodologist() -> None:
    """By hand: English has 3 lessons × 2 pupils = 6 student-lessons, 3 absences by illness — a1's. Maths
    has 6 pupils, PE 5: PE goes with English (the school's total minus maths would be English plus PE), so
    the suppressed subjects hold 7 ≥ 5 pupils; maths stays."""
    s = _school()
    full = queries.run(s.con, "attendance_summary", SCOPE).filter(pl.col("dimension") == "subject")
    eng = full.filter(pl.col("subject_id") == "eng").row(0, named=True)
    assert (eng["students"], eng["student_lessons"], eng["absent_illness"]) == (2, 6, 3)
    assert dict(full.select("subject_id", "students").iter_rows()) == {"eng": 2, "math": 6, "pe": 5}
    seen = queries.run(s.con, "attendance_summary", SCOPE, access=METHODOLOGIST)
    assert seen.filter(pl.col("dimension") == "subject")["subject_id"].to_list() == ["math"]
    assert seen.filter(pl.col("dimension") == "total").height == 1  # the school's own row stays
    # class rows keep their rule: 5Б (the mover and b1) goes, with 5А, the rest of grade 5
    assert seen.filter(pl.col("dimension") == "class").is_empty()
    kept = queries.run(s.con, "attendance_summary", SCOPE,
                       access=Access(role="methodologist", pseudonymise=True, min_group_size=2, key=b"k" * 32))
    assert sorted(kept.filter(pl.col("dimension") == "subject")["subject_id"]) == ["eng", "math", "pe"]
