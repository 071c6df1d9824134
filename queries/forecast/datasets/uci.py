"""UCI Student Performance → period-mark forecast (forecast-anchors §3.1, Cortez protocol).

The journal analogue: G1 and G2 are the two period marks known before the final, `absences` the
attendance, `failures` past failed years. The forecaster predicts the final mark's class directly
(«н/а» its own class) with a random forest, the model Cortez & Silva found best; the bar is the naive
forecast "carry the last period mark forward" (NV). Cut-off 1/3 of the year: only G1 is known
(setup B); from 2/3 on: G1 and G2 (setup A).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RepeatedStratifiedKFold

from queries.forecast.protocol import SEED
from queries.forecast.scoring import mark_scores, risk_scores

SQL = Path(__file__).with_name("uci_marks.sql")
SECOND_PERIOD_FROM = 2 / 3  # G2 is the mark of the 2nd of three periods: known from 2/3 of the year
FOLDS = 10


def load(path: Path) -> pl.DataFrame:
    """Rows of one UCI file (student-mat.csv or student-por.csv) with the 5-point marks."""
    return duckdb.connect().sql(SQL.read_text(encoding="utf-8"), params={"path": str(path)}).pl()


def design(rows: pl.DataFrame, with_g2: bool) -> np.ndarray:
    last = "g2" if with_g2 else "g1"
    cols = [pl.col("g1"), pl.col("absences"), pl.col("failures"), (pl.col("absences") == 0).alias("no_abs"),
            (pl.col(last) == 0).alias("last_zero")]
    last_mark = pl.col(f"{last}_mark").replace("н/а", "1").cast(pl.Int64).alias("last_mark")
    cols.append(last_mark)
    if with_g2:
        cols += [pl.col("g2"), (pl.col("g2") - pl.col("g1")).alias("trend")]
    return rows.select(cols).cast(pl.Float64).to_numpy()


def _model() -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=SEED, n_jobs=1)


def _mean(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(float(np.nanmean([r[k] for r in runs])), 4) for k in runs[0]}


def evaluate(path: Path, cutoff: float, repeats: int) -> dict[str, Any]:
    """`repeats` × 10-fold CV: mark accuracy, MAE, QWK and at-risk AUC/F1 of the model and of NV.

    Each repeat's out-of-fold forecasts are scored together; the figures are means over repeats.
    """
    rows = load(path)
    with_g2 = cutoff >= SECOND_PERIOD_FROM
    x = design(rows, with_g2)
    y = np.array(rows["final_mark"].to_list())
    naive = rows["g2_mark" if with_g2 else "g1_mark"].to_list()
    y_risk = np.isin(y, ["2", "н/а"])
    strata = np.where(y == "н/а", "2", y)
    model_runs, naive_runs = [], []
    cv = RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=repeats, random_state=SEED)
    splits = list(cv.split(x, strata))
    for r in range(repeats):
        pred = np.empty(len(y), dtype=object)
        risk = np.zeros(len(y))
        for train, test in splits[r * FOLDS:(r + 1) * FOLDS]:
            m = _model().fit(x[train], y[train])
            proba = m.predict_proba(x[test])
            pred[test] = m.classes_[proba.argmax(axis=1)]
            risk[test] = proba[:, np.isin(m.classes_, ["2", "н/а"])].sum(axis=1)
        model_runs.append({**mark_scores(list(y), list(pred)),
                           **{k: v for k, v in risk_scores(y_risk, risk).items() if k in ("auc", "f1")}})
    naive_risk = np.isin(naive, ["2", "н/а"]).astype(float)
    naive_runs.append({**mark_scores(list(y), naive),
                       **{k: v for k, v in risk_scores(y_risk, naive_risk).items() if k in ("auc", "f1")}})
    return {"rows": len(y), "setup": "G1+G2" if with_g2 else "G1", "protocol": f"{repeats}×{FOLDS}-fold CV",
            "model": _mean(model_runs), "naive": _mean(naive_runs),
            "marks": {m: int((y == m).sum()) for m in ("2", "3", "4", "5", "н/а")}}
