"""OULAD → at-risk (Fail or Withdrawn) forecast from the gradebook up to a cut-off (forecast-anchors §3.2).

Features come from oulad_features.sql (journal-only: due, submitted, late, missing, scores, enrolment
day; no clicks, no demographics). Temporal split: trained on the 2013 presentations, tested on 2014
("train on last year's journal"). Model: histogram gradient boosting, which the anchors found best on
these features, plus the module as a category (the subject). The bar is the rule of §3.2: at risk if
at least one work is missing or the mean score so far is below 40 (the OU pass mark).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier

from queries.forecast.protocol import SEED
from queries.forecast.scoring import calibration, risk_scores

SQL = Path(__file__).with_name("oulad_features.sql")
FEATURES: tuple[str, ...] = (
    "enrolled_day", "n_due", "n_sub", "n_missing", "n_late", "mean_score", "min_score", "mean_submitted",
    "weighted_score", "weight_missing", "last_score", "last_submitted", "mean_days_early", "n_ahead",
    "days_since_last", "share_missing", "share_late", "score_vs_cohort",
)
PASS_SCORE = 40.0  # OU pass mark (anchors §3.2, §5)


def load(data_dir: Path, cutoff: float) -> pl.DataFrame:
    """One row per student × presentation still registered at the cut-off share of the presentation."""
    return duckdb.connect().sql(SQL.read_text(encoding="utf-8"),
                                params={"dir": str(data_dir), "cutoff_share": cutoff}).pl()


def design(rows: pl.DataFrame, modules: list[str]) -> np.ndarray:
    x = rows.select(FEATURES).cast(pl.Float64).to_numpy()
    onehot = np.column_stack([(rows["code_module"] == m).to_numpy() for m in modules]).astype(float)
    return np.hstack([x, onehot])


def rule_flags(rows: pl.DataFrame) -> np.ndarray:
    """The simple rule: any missing work, or mean score so far below the pass mark."""
    return ((rows["n_missing"] >= 1) | (rows["mean_score"].fill_null(0) < PASS_SCORE)).to_numpy().astype(float)


def evaluate(data_dir: Path, cutoff: float) -> dict[str, Any]:
    """Temporal split 2013 → 2014 at one cut-off: model and rule figures, per-module AUC, calibration."""
    rows = load(data_dir, cutoff)
    year = rows["code_presentation"].str.slice(0, 4)
    train, test = rows.filter(year == "2013"), rows.filter(year == "2014")
    modules = sorted(train["code_module"].unique().to_list())
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=SEED)
    model.fit(design(train, modules), train["at_risk"].to_numpy())
    score = model.predict_proba(design(test, modules))[:, 1]
    y = test["at_risk"].to_numpy()
    per_module = {}
    for m in sorted(test["code_module"].unique().to_list()):
        sel = (test["code_module"] == m).to_numpy()
        per_module[m] = round(risk_scores(y[sel], score[sel])["auc"], 4)
    rule = risk_scores(y, rule_flags(test))
    return {"rows": rows.height, "train_rows": train.height, "test_rows": test.height, "cutoff": cutoff,
            "model": {k: round(v, 4) for k, v in risk_scores(y, score).items()},
            "rule": {k: round(v, 4) for k, v in rule.items() if k != "auc"},
            "auc_by_module": per_module, "calibration": calibration(y.astype(float), score)}
