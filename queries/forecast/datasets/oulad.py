"""OULAD → at-risk (Fail or Withdrawn) forecast from the gradebook up to a cut-off (forecast-anchors §3.2).

Features come from oulad_features.sql (journal-only: due, submitted, late, missing, scores, enrolment
day; no clicks, no demographics). Temporal split: trained on the 2013 presentations, tested on 2014
("train on last year's journal"). Model: histogram gradient boosting, which the anchors found best on
these features, plus the module as a category (the subject); its settings were chosen on 2013 alone
(`validate`, docs/forecast.md). The bar is the rule of §3.2: at risk if at least one work is missing or
the mean score so far is below 40 (the OU pass mark).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from queries.forecast.protocol import SEED
from queries.forecast.scoring import calibration, risk_scores

SQL = Path(__file__).with_name("oulad_features.sql")
FEATURES: tuple[str, ...] = (
    "enrolled_day", "n_due", "n_sub", "n_missing", "n_late", "mean_score", "min_score", "mean_submitted",
    "weighted_score", "weight_missing", "last_score", "last_submitted", "mean_days_early", "n_ahead",
    "days_since_last", "share_missing", "share_late", "score_vs_cohort",
)
PASS_SCORE = 40.0  # OU pass mark (anchors §3.2, §5)
# Chosen by the decision rule of docs/forecast.md on the two within-2013 directions (best mean AUC at 50 %
# of the grid there): small trees, large leaves, and as many rounds as a 10 % holdout of the training
# presentations keeps improving.
MODEL_PARAMS: dict[str, Any] = {"learning_rate": 0.05, "max_leaf_nodes": 5, "min_samples_leaf": 100,
                                "l2_regularization": 0.0, "max_iter": 1000, "early_stopping": True}


def load(data_dir: Path, cutoff: float) -> pl.DataFrame:
    """One row per student × presentation still registered at the cut-off share of the presentation."""
    return duckdb.connect().sql(SQL.read_text(encoding="utf-8"),
                                params={"dir": str(data_dir), "cutoff_share": cutoff}).pl()


def design(rows: pl.DataFrame, modules: list[str]) -> np.ndarray:
    """Features and the module one-hot. Rounded to 1e-6: DuckDB's parallel sums leave order-dependent last
    bits (score_vs_cohort differed by 3e-14 between two loads), which moved the model's bins and the AUC
    by up to 0.002; rounded, every run gives the same figures."""
    x = rows.select(FEATURES).cast(pl.Float64).to_numpy().round(6)
    onehot = np.column_stack([(rows["code_module"] == m).to_numpy() for m in modules]).astype(float)
    return np.hstack([x, onehot])


def rule_flags(rows: pl.DataFrame) -> np.ndarray:
    """The simple rule: any missing work, or mean score so far below the pass mark."""
    return ((rows["n_missing"] >= 1) | (rows["mean_score"].fill_null(0) < PASS_SCORE)).to_numpy().astype(float)


def fitted_scores(train: pl.DataFrame, test: pl.DataFrame, modules: list[str],
                  params: dict[str, Any] | None = None) -> np.ndarray:
    """At-risk probabilities of `test` from a model fitted on `train`. One OpenMP thread: the fit is a few
    seconds on one core, and spinning threads on a shared machine cost more than they bring."""
    model = HistGradientBoostingClassifier(random_state=SEED, **(params or MODEL_PARAMS))
    with threadpool_limits(1, user_api="openmp"):
        model.fit(design(train, modules), train["at_risk"].to_numpy())
        return model.predict_proba(design(test, modules))[:, 1]


def validate(data_dir: Path, cutoff: float, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The 2013-only check the settings were chosen on: train 2013B → score 2013J and 2013J → 2013B
    (modules the training presentation has); per direction and mean AUC, F1, P@20 %. Reads no 2014 row."""
    rows = load(data_dir, cutoff).filter(pl.col("code_presentation").str.starts_with("2013"))
    modules = sorted(rows["code_module"].unique().to_list())
    kept = ("auc", "f1", "precision_top20")
    out: dict[str, Any] = {}
    for fit_on, scored in (("2013B", "2013J"), ("2013J", "2013B")):
        train = rows.filter(pl.col("code_presentation") == fit_on)
        test = rows.filter((pl.col("code_presentation") == scored)
                           & pl.col("code_module").is_in(train["code_module"].unique().to_list()))
        figures = risk_scores(test["at_risk"].to_numpy(), fitted_scores(train, test, modules, params))
        out[f"{fit_on}->{scored}"] = {k: round(figures[k], 4) for k in kept}
    out["mean"] = {k: round(float(np.mean([d[k] for d in out.values()])), 4) for k in kept}
    return out


def evaluate(data_dir: Path, cutoff: float) -> dict[str, Any]:
    """Temporal split 2013 → 2014 at one cut-off: model and rule figures, per-module AUC, calibration."""
    rows = load(data_dir, cutoff)
    year = rows["code_presentation"].str.slice(0, 4)
    train, test = rows.filter(year == "2013"), rows.filter(year == "2014")
    modules = sorted(train["code_module"].unique().to_list())
    score = fitted_scores(train, test, modules)
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
