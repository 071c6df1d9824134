"""An average exactly on a rounding threshold: the school rounds it up (2,50 → «3»), and so does the forecast
the parent and the deputy read. Before, the rule's forecast was its likeliest bin, «2» by a hair (P(«2») = 0,5
against the rest spread over «3» … «5»), printed next to «средневзвешенный 2,50»; 399 demo rows on 10.11.2025. And «Что нужно» says when more «5»
are needed than lessons remain (6,425 of 8,414 demo rows with a next mark on 15.12.2025 read as a plan)."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from etl.norms import load_norms
from queries.forecast import at_risk, student_forecasts
from queries.scope import Scope
from tests.metrics_fixtures import D, school

AS_OF = D(2025, 10, 10)
MARKS = {"a1": ("2", "3"), "a2": ("3", "4"), "a3": ("4", "5"), "a4": ("4", "4")}


def _literature(as_of: dt.date) -> tuple[pl.DataFrame, int, int]:
    """5А literature on Tuesdays and Thursdays of semester 1, each pupil marked on every lesson up to `as_of`
    with the two marks of MARKS in turn: the forecasts at `as_of`, the lessons held and those still to come."""
    s = school()
    day, n, left = D(2025, 9, 1), 0, 0
    while day <= D(2025, 12, 26):
        if day.weekday() in (1, 3):
            lesson = s.lesson("5a", "lit", day, 3, teacher="t_eng", status="held" if day <= as_of else "planned")
            if day <= as_of:
                for pupil, values in MARKS.items():
                    s.mark(lesson, pupil, values[n % 2])
                n += 1
            else:
                left += 1
        day += dt.timedelta(days=1)
    rows = student_forecasts(s.con, Scope(group_id="5a", subject_id="lit"), as_of, load_norms())
    return rows.filter(pl.col("student_id").is_in(list(MARKS))).sort("student_id"), n, left


def test_an_average_on_a_threshold_is_forecast_as_the_school_rounds_it() -> None:
    rows, n, _ = _literature(AS_OF)
    assert n % 2 == 0  # as many of each mark: the averages are 2,50, 3,50, 4,50 and 4,00
    assert rows["method"].unique().to_list() == ["rule"]
    assert rows["weighted_avg"].to_list() == [2.5, 3.5, 4.5, 4.0]
    assert rows["forecast_mark"].to_list() == ["3", "4", "5", "4"]
    assert rows["forecast_mark"].to_list() == rows["rule_forecast_mark"].to_list()
    # the risk stays what it is: one «2» too many and the period ends on «2»
    a1 = rows.row(0, named=True)
    assert a1["p_2"] == 0.5 and a1["risk"] == 0.5
    assert at_risk(rows)["student_id"].to_list() == ["a1"]
    # n marks averaging 2,50 reach 3,5 with k «5»: (3,5·n − 2,5·n) / (5 − 3,5) = n / 1,5; with «4»: n / 0,5
    assert a1["n_marks"] == n and a1["needs"] == f"до «4»: ещё {math.ceil(n / 1.5)} × «5» (или {2 * n} × «4»)"


def test_marks_needed_beyond_the_lessons_left_are_said_so() -> None:
    """On 18.12.2025 two lessons remain; «до «4»: ещё 10 × «5»» alone read as a plan to the parent."""
    rows, n, left = _literature(D(2025, 12, 18))
    assert left == 2 and n % 2 == 0
    a1, a4 = rows.row(0, named=True), rows.row(3, named=True)
    fives = math.ceil(n / 1.5)
    assert a1["fives_needed"] == fives > left
    assert a1["needs"] == f"до «4»: ещё {fives} × «5» (или {2 * n} × «4»), а до конца периода 2 урока"
    # 4,00 needs (4,5·n − 4·n) / 0,5 = n «5» for a «5»: also more than two lessons bring
    assert a4["needs"] == f"до «5»: ещё {n} × «5», а до конца периода 2 урока"
