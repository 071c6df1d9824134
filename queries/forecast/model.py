"""The learned forecaster: a multinomial logistic regression over the journal features at D, trained on
the same school's finished periods at the same point of the period, with the rule's probabilities as
inputs (so it learns how far to trust the carried-forward average). Logistic regression is calibrated
by construction (it fits log-loss), cheap enough to train per request, and too simple to memorise a
school's few hundred courses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from queries.forecast.protocol import MARKS, MIN_TRAINING_ROWS

FEATURES: tuple[str, ...] = (
    "weighted_avg", "avg_mark", "n_marks", "min_mark", "n_twos", "last_mark", "mark_sd", "absence_share",
    "lessons_share", "missed_control_works", "control_works", "previous_mark", "previous_na", "pace",
)
RULE_COLUMNS: tuple[str, ...] = tuple(f"rule_p{i}" for i in range(len(MARKS)))


def design(features: pl.DataFrame, rule_probs: np.ndarray) -> np.ndarray:
    """Model inputs: journal features plus the rule's probabilities (NaN where unknown, imputed later)."""
    x = features.with_columns(
        # a course-wide shortfall is the teacher's marking pace, no sign about the pupil: unknown, imputed
        pace=pl.when(pl.col("teacher_pace_short")).then(None)
        .otherwise(pl.col("projected_marks") / pl.col("min_marks")),
        previous_na=pl.col("previous_na").cast(pl.Float64),
    ).select(FEATURES).cast(pl.Float64).to_numpy()
    return np.hstack([x, rule_probs])


@dataclass
class Forecaster:
    """A fitted model with the classes it saw; `predict` returns probabilities in MARKS order."""

    pipeline: Pipeline
    classes: list[str]
    training_rows: int

    def predict(self, x: np.ndarray) -> np.ndarray:
        with threadpool_limits(1, user_api="blas"):
            proba = self.pipeline.predict_proba(x)
        out = np.zeros((len(x), len(MARKS)))
        for j, c in enumerate(self.classes):
            out[:, MARKS.index(c)] = proba[:, j]
        return out


def train(x: np.ndarray, labels: list[str | None]) -> Forecaster | None:
    """Fit on labelled rows; None when history is too short (the caller falls back to the rule)."""
    keep = np.array([lab is not None for lab in labels])
    y = np.array([lab for lab in labels if lab is not None])
    if len(y) < MIN_TRAINING_ROWS or len(set(y)) < 2:
        return None
    pipe = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                         LogisticRegression(max_iter=2000))
    # a few thousand rows × 19 columns: BLAS threads only spin (twice the CPU, and much longer wall time
    # on a loaded machine), so the fit runs on one (docs/performance.md, Forecast)
    with threadpool_limits(1, user_api="blas"):
        pipe.fit(x[keep], y)
    return Forecaster(pipe, [str(c) for c in pipe.classes_], int(len(y)))
