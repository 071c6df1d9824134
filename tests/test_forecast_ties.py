"""An average exactly on a rounding threshold: the school rounds it up (2,50 → «3»), and so does the forecast
the parent and the deputy read. Before, the rule's forecast was its likeliest bin, «2» by a hair (P(«2») = 0,5
against the rest spread over «3» … «5»), printed next to «средневзвешенный 2,50»; 399 demo rows on 10.11.2025."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from etl.norms import load_norms
from queries.forecast import at_risk, student_forecasts
from queries.scope import Scope
from tests.metrics_fixtures import D, school

AS_OF = D(2025, 10, 10)


def test_an_average_on_a_threshold_is_forecast_as_the_school_rounds_it() -> None:
    s = school()
    day = D(2025, 9, 1)
    marks = {"a1": ("2", "3"), "a2": ("3", "4"), "a3": ("4", "5"), "a4": ("4", "4")}
    n = 0
    while day <= D(2025, 12, 26):
        if day.weekday() in (1, 3):
            lesson = s.lesson("5a", "lit", day, 3, teacher="t_eng", status="held" if day <= AS_OF else "planned")
            if day <= AS_OF:
                for pupil, values in marks.items():
                    s.mark(lesson, pupil, values[n % 2])
                n += 1
        day += dt.timedelta(days=1)
    assert n % 2 == 0  # as many of each mark: the averages are 2,50, 3,50, 4,50 and 4,00
    rows = student_forecasts(s.con, Scope(group_id="5a", subject_id="lit"), AS_OF, load_norms())
    rows = rows.filter(pl.col("student_id").is_in(list(marks))).sort("student_id")
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
