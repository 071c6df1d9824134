"""Success forecasts (issue 6): the period mark of every student × subject as of a day, class forecasts,
the backtest on the school's own history, and evaluation on public data (queries.forecast.datasets).

    student_forecasts(con, scope, as_of, norms=None, method="auto") -> pl.DataFrame
    class_forecasts(forecasts, by=("period_id", "class_id", "class_name")) -> pl.DataFrame
    backtest(con, school_id=None, norms=None, cutoffs=CUTOFFS) -> dict
"""

from __future__ import annotations

from queries.forecast.backtest import backtest
from queries.forecast.protocol import CUTOFFS, MARKS
from queries.forecast.school import class_forecasts, student_forecasts

__all__ = ["CUTOFFS", "MARKS", "backtest", "class_forecasts", "student_forecasts"]
