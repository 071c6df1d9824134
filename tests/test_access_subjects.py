"""Attendance by subject for a methodologist: a subject taught to a small group only (an elective, an
English subgroup of two, a pupil taught at home) is a breakdown row about those few children, with their
absences by illness; it was kept as a row «about the whole scope».

The base school (tests/metrics_fixtures.py), semester p1: maths for 5А (a1…a4, the mover until 15 Oct) and
5Б (the mover from 16 Oct, b1), PE for 5А, English only for the subgroup 5А англ. 1 гр. (a1, a2) — 6 pupils
in the school, 2 in English.
"""

from __future__ import annotations

import polars as pl
import pytest

import queries
from queries.access import Access, connection
from reports import spravka
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


def test_the_previous_period_of_a_few_pupils_is_not_shown_through_the_change() -> None:
    """The semester before (p0, last year) had two pupils, a1 and a2 in 4А: as a scope it is refused to a
    methodologist, yet results_summary of p1 carried its figures in every row's «… раньше» and change —
    «Успеваемость раньше 50,0 %» was a1's and a2's «5» and «2». They are now left empty when the previous
    period's row held fewer than min_group_size pupils; the row's own figures stay."""
    s = school()
    for kid, now in (("a1", "5"), ("a2", "4"), ("a3", "4"), ("a4", "3"), ("mover", "5"), ("b1", "4")):
        s.period_mark(kid, "math", "5b" if kid in ("mover", "b1") else "5a", now)
    for kid, before in (("a1", "5"), ("a2", "2")):
        s.period_mark(kid, "math", "4a", before, period="p0")
    s.lesson("4a", "math", D(2025, 2, 3))
    s.lesson("5a", "math", D(2025, 9, 8))
    s.lesson("5b", "math", D(2025, 10, 20))
    scope = queries.Scope(period_id="p1", as_of=AS_OF)
    full = queries.run(s.con, "results_summary", scope).filter(pl.col("dimension") == "school").row(0, named=True)
    assert (full["students"], full["prev_students"], full["prev_success_pct"], full["success_change"]) == \
        (6, 2, 50.0, 50.0)
    with pytest.raises(queries.ScopeError):  # the previous period itself is refused
        queries.run(s.con, "results_summary", queries.Scope(period_id="p0", as_of=AS_OF), access=METHODOLOGIST)
    seen = queries.run(s.con, "results_summary", scope, access=METHODOLOGIST).filter(pl.col("dimension") == "school")
    row = seen.row(0, named=True)
    assert (row["success_pct"], row["students"]) == (100.0, 6)
    assert [row[c] for c in ("prev_success_pct", "prev_quality_pct", "prev_sou_pct", "success_change",
                             "quality_change", "sou_change")] == [None] * 6
    sp = spravka.build(connection(s.con, METHODOLOGIST), scope, spravka.SpravkaOptions(date=AS_OF))
    said = [p.text for p in sp.document.blocks if "Успеваемость 100,0" in getattr(p, "text", "")]
    assert len(said) == 1 and said[0].endswith(
        "Сравнение с предыдущим периодом не приводится: в нём отметки за период есть у меньшего числа учеников, "
        "чем допускают обезличенные данные.")


def test_a_week_or_month_of_few_pupils_is_not_shown_to_a_methodologist() -> None:
    """Attendance by week and by month had no head count, so a week in which only the English subgroup (a1, a2)
    had lessons — its one absence by illness a1's — was shown to a methodologist as a row «about the whole
    scope». By hand: maths for 5А and 5Б in the weeks of 8 and 15 Sep and 10 Nov (6 pupils: a1…a4 and the
    mover in 5А, b1; the mover in 5Б from 16 Oct), English alone on 1 Dec (2 pupils, a1 ill). The week and the
    month of 1 Dec go, and with each the smallest further row of its breakdown (6 pupils: 8 Sep, September),
    since the school's total minus the weeks (months) shown would give them back."""
    s = school()
    for day in (D(2025, 9, 8), D(2025, 9, 15), D(2025, 11, 10)):
        s.lesson("5a", "math", day)
        s.lesson("5b", "math", day, number=2)
    s.absent(s.lesson("5a_eng1", "eng", D(2025, 12, 1), number=4, teacher="t_eng"), "a1", "Б")
    full = queries.run(s.con, "attendance_summary", SCOPE)
    weeks = full.filter(pl.col("dimension") == "week")
    assert weeks.select("week_start", "students", "student_lessons", "absent_illness").rows() == [
        (D(2025, 9, 8), 6, 6, 0), (D(2025, 9, 15), 6, 6, 0), (D(2025, 11, 10), 6, 6, 0), (D(2025, 12, 1), 2, 2, 1)]
    months = full.filter(pl.col("dimension") == "month")
    assert months.select("month_start", "students", "student_lessons", "absent_illness").rows() == [
        (D(2025, 9, 1), 6, 12, 0), (D(2025, 11, 1), 6, 6, 0), (D(2025, 12, 1), 2, 2, 1)]
    seen = queries.run(s.con, "attendance_summary", SCOPE, access=METHODOLOGIST)
    assert seen.filter(pl.col("dimension") == "week")["week_start"].to_list() == [D(2025, 9, 15), D(2025, 11, 10)]
    assert seen.filter(pl.col("dimension") == "month")["month_start"].to_list() == [D(2025, 11, 1)]
    total = seen.filter(pl.col("dimension") == "total").row(0, named=True)  # the school's own row stays
    assert (total["student_lessons"], total["absent_illness"]) == (20, 1)
