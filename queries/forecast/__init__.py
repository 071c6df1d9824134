"""Success forecasts (issue 6): the period mark of every student × subject as of a day, class forecasts,
the backtest on the school's own history, and evaluation on public data (queries.forecast.datasets).

    student_forecasts(con, scope, as_of, norms=None, method="auto", access=FULL) -> pl.DataFrame
    class_forecasts(forecasts, by=("period_id", "class_id", "class_name")) -> pl.DataFrame
    at_risk(forecasts) -> pl.DataFrame
    marking_pace(forecasts) -> pl.DataFrame
    student_exemptions(con, scope, as_of, norms=None, access=FULL) -> pl.DataFrame
    marks_so_far(con, period_id, student_ids, as_of, subject_id=None, access=FULL) -> pl.DataFrame
    backtest(con, school_id=None, norms=None, cutoffs=CUTOFFS) -> dict
"""

from __future__ import annotations

from queries.forecast.backtest import backtest
from queries.forecast.marks import marks_so_far
from queries.forecast.protocol import AT_RISK_PROBABILITY, CUTOFFS, MARKS
from queries.forecast.school import (
    at_risk,
    class_forecasts,
    marking_pace,
    student_exemptions,
    student_forecasts,
)

__all__ = ["AT_RISK_PROBABILITY", "CUTOFFS", "MARKS", "at_risk", "backtest", "class_forecasts", "marking_pace",
           "marks_so_far", "student_exemptions", "student_forecasts"]
