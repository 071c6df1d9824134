"""The deck's first period: the latest ended semester or half-year of the grades the user sees."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.context import _default_period

D = dt.date
PERIODS = pl.DataFrame({
    "id": ["s1", "s2", "h1", "h2", "y29"],
    "kind": ["semester", "semester", "half_year", "half_year", "year"],
    "start_date": [D(2025, 9, 1), D(2026, 1, 12), D(2025, 9, 1), D(2026, 1, 12), D(2025, 9, 1)],
    "end_date": [D(2025, 12, 26), D(2026, 5, 29), D(2025, 12, 26), D(2026, 5, 29), D(2026, 5, 31)],
    "grade_from": [2, 2, 10, 10, 2],
    "grade_to": [9, 9, 11, 11, 9],
})


def test_a_class_teacher_of_10th_grade_starts_on_the_half_year():
    assert _default_period(PERIODS, [10]) == "h2"


def test_the_whole_school_starts_on_the_semester_of_2_to_9():
    assert _default_period(PERIODS, [1, 5, 10, 11]) == "s2"
    assert _default_period(PERIODS, [5]) == "s2"


def test_grades_without_a_period_of_their_own_fall_back_to_all_periods():
    assert _default_period(PERIODS, [1]) == "s2"
    assert _default_period(PERIODS, []) == "s2"


def test_a_semester_on_its_last_day_has_not_ended():
    """On a semester's last day the deck opened on it — period marks still being entered, its results those
    entered so far — while the справка and the deck's own note hold that a period ends after its last day
    (end_date < the check day). The deck now opens on the semester before until the next day."""
    today = dt.date.today()
    periods = pl.DataFrame({"id": ["before", "last_day"], "kind": ["semester", "semester"],
                            "start_date": [today - dt.timedelta(days=300), today - dt.timedelta(days=100)],
                            "end_date": [today - dt.timedelta(days=150), today],
                            "grade_from": [2, 2], "grade_to": [9, 9]})
    assert _default_period(periods, []) == "before"
    assert _default_period(periods.with_columns(pl.col("end_date") - dt.timedelta(days=1)), []) == "last_day"
