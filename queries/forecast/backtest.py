"""Backtest on the school's own history: for each finished period and cut-offs at 25/50/75 % of it,
forecast as of the cut-off day (only what was in the journal then) and compare with the period marks
actually set, for the learned forecaster and the rule baseline side by side.

With one school year in the warehouse, semester 1 has no earlier period: its forecasts are the rule's
(method "rule"); semester 2 is forecast by a model trained on semester 1 at the same cut-off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import polars as pl

from etl.norms import load_norms
from queries.forecast import features as feat
from queries.forecast.protocol import CUTOFFS
from queries.forecast.school import student_forecasts
from queries.forecast.scoring import calibration, mark_scores, risk_scores
from queries.scope import Scope


def finished_periods(con: duckdb.DuckDBPyConnection, school_id: str | None, today: dt.date) -> list[dict[str, Any]]:
    """Periods (not school years) that ended before `today` and have period marks."""
    params = {"period_id": None, "as_of": today, "school_id": school_id, "grade_from": 1, "grade_to": 11}
    rows = feat._run(con, "finished_periods", params)
    return list(rows.iter_rows(named=True))


def _judge(rows, prefix: str) -> dict[str, Any]:
    """Mark scores over the rows with a forecast mark (a pupil without a counted mark and without a ground for
    «н/а» has none: `no_forecast_mark` counts them), risk scores over every row."""
    actual = rows["actual_mark"].to_list()
    y = np.array([m in ("2", "н/а") for m in actual])
    score = rows[f"{prefix}risk"].to_numpy()
    marked = rows.filter(pl.col(f"{prefix}forecast_mark").is_not_null())
    return {**mark_scores(marked["actual_mark"].to_list(), marked[f"{prefix}forecast_mark"].to_list()),
            "no_forecast_mark": rows.height - marked.height, **risk_scores(y, score),
            "calibration": calibration(y, score)}


def backtest(con: duckdb.DuckDBPyConnection, school_id: str | None = None, norms: dict[str, Any] | None = None,
             cutoffs: tuple[float, ...] = CUTOFFS, today: dt.date | None = None) -> dict[str, Any]:
    """Figures per period × cut-off: {"periods": [{period_id, cutoff, as_of, method, model, rule}]}."""
    norms = norms if norms is not None else load_norms()
    out = []
    for period in finished_periods(con, school_id, today or dt.date.today()):
        for share in cutoffs:
            day = feat.day_at_share(period["start_date"], period["end_date"], share)
            rows = student_forecasts(con, Scope(period_id=period["period_id"]), day, norms, with_outcome=True)
            rows = rows.filter(rows["actual_mark"].is_not_null()) if not rows.is_empty() else rows
            if rows.is_empty():
                continue
            out.append({"period_id": period["period_id"], "period": period["name"], "cutoff": share,
                        "as_of": day.isoformat(), "rows": rows.height, "method": rows["method"][0],
                        "training_rows": int(rows["training_rows"][0]),
                        "model": _judge(rows, ""), "rule": _judge(rows, "rule_")})
    return {"periods": out}
