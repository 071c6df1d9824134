"""How forecasts are judged (anchors §3–4): exact-mark accuracy, mean absolute error and quadratic
weighted kappa on the 2–5 scale («н/а» counted as 2, anchors §3.1), at-risk ROC-AUC, F1 at 0.5,
precision among the top 20 % flagged, and a calibration table."""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score, roc_auc_score

from queries.forecast.protocol import CALIBRATION_BINS, FLAG_SHARE


def _as_points(marks: list[str]) -> np.ndarray:
    return np.array([2 if m == "н/а" else int(m) for m in marks])


def mark_scores(actual: list[str], predicted: list[str]) -> dict[str, float]:
    """Exact accuracy, MAE (mark points) and QWK of predicted vs actual period marks."""
    a, p = _as_points(actual), _as_points(predicted)
    qwk = cohen_kappa_score(a, p, weights="quadratic", labels=[2, 3, 4, 5])
    return {"accuracy": float((a == p).mean()), "mae": float(np.abs(a - p).mean()),
            "qwk": float(qwk) if not math.isnan(qwk) else float("nan")}


def precision_at_top(y: np.ndarray, score: np.ndarray, share: float = FLAG_SHARE) -> float:
    """Share of true at-risk among the `share` highest-scored (ties broken by order, stable)."""
    k = max(1, math.ceil(share * len(y)))
    top = np.argsort(-score, kind="stable")[:k]
    return float(y[top].mean())


def risk_scores(y: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """At-risk AUC, F1 at 0.5 and precision among the top 20 % (NaN AUC when one class only)."""
    y = y.astype(bool)
    auc = roc_auc_score(y, score) if 0 < y.sum() < len(y) else float("nan")
    return {"auc": float(auc), "f1": float(f1_score(y, score >= 0.5, zero_division=0)),
            "precision_top20": precision_at_top(y, score), "at_risk_rate": float(y.mean()), "n": int(len(y))}


def calibration(y: np.ndarray, score: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict[str, float]]:
    """Predicted at-risk probability in equal-width bins → rows, mean predicted, observed rate."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(score, edges[1:-1]), 0, bins - 1)
    table = []
    for b in range(bins):
        sel = idx == b
        if sel.any():
            table.append({"bin": f"{edges[b]:.1f}–{edges[b + 1]:.1f}", "n": int(sel.sum()),
                          "predicted": round(float(score[sel].mean()), 3),
                          "observed": round(float(y[sel].mean()), 3)})
    return table
