"""The rule baseline: the current weighted average carried to the period end with the school's rounding
and «н/а» rules, as a probability over the period marks, and the marks still needed for the next mark.

The probability spreads the rule's point forecast by how much the marks still to come can move the
average: the final weighted average is the current one plus the remaining marks' mean, whose spread is
the journal's own spread of marks (`mark_sd`, pooled over the school at D), so an average far from a
rounding threshold late in the period is nearly certain and one near a threshold early is not.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
from scipy.stats import norm as gauss

from queries.forecast.protocol import MARKS

GRADE_MARKS = (2, 3, 4, 5)
TOP_MARK = 5.0


def thresholds(norms: dict[str, Any]) -> tuple[float, float, float]:
    """[rounding] thresholds for 3, 4 and 5 (an average ≥ threshold rounds up)."""
    r = norms["rounding"]
    return float(r["to_3"]), float(r["to_4"]), float(r["to_5"])


def rule_probabilities(features: pl.DataFrame, norms: dict[str, Any]) -> np.ndarray:
    """Rows × MARKS probabilities of the rule baseline (columns in MARKS order: 2, 3, 4, 5, н/а)."""
    t3, t4, t5 = thresholds(norms)
    edges = np.array([-np.inf, t3, t4, t5, np.inf])
    sd_all = features["mark_sd"].drop_nulls().mean()
    spread = float(sd_all) if sd_all is not None and not math.isnan(sd_all) else 0.0
    avg = features["weighted_avg"].to_numpy().astype(float)
    w = features["weight_sum"].to_numpy().astype(float)
    so_far = features["lessons_so_far"].to_numpy().astype(float)
    planned = features["lessons_planned"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        remaining = np.where(so_far > 0, w * (planned / so_far - 1.0), 0.0)
        remaining = np.clip(np.nan_to_num(remaining), 0.0, None)
        sd = np.where(w + remaining > 0, spread * np.sqrt(remaining) / (w + remaining), 0.0)
    out = np.zeros((len(features), len(MARKS)))
    has_avg = ~np.isnan(avg)
    for k in range(4):
        lo, hi = edges[k], edges[k + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = gauss.cdf((hi - avg) / sd) - gauss.cdf((lo - avg) / sd)
        point = ((avg >= lo) & (avg < hi)).astype(float)
        out[:, k] = np.where(sd > 0, np.nan_to_num(p), point) * has_avg
    # no counted mark yet and no «н/а» ground: the school's current spread of rule marks is all we know
    prior = out[has_avg].mean(axis=0) if has_avg.any() else np.full(len(MARKS), 1 / 4) * (np.arange(5) < 4)
    out[~has_avg] = prior
    na = features["rule_na"].fill_null(False).to_numpy()
    out[na] = 0.0
    out[na, MARKS.index("н/а")] = 1.0
    return out / out.sum(axis=1, keepdims=True)


def marks_needed(weighted_sum: float, weight_sum: float, target: float, mark: float = TOP_MARK,
                 weight: float = 1.0) -> int | None:
    """How many marks `mark` of weight `weight` lift a weighted average to at least `target`.

    0 if it is there already; None if marks of that value can never reach it (mark ≤ target).
    """
    if weight_sum > 0 and weighted_sum / weight_sum >= target - 1e-9:
        return 0
    if mark <= target:
        return None
    k = (target * weight_sum - weighted_sum) / (weight * (mark - target))
    return max(1, math.ceil(k - 1e-9))


def next_mark_needs(weighted_sum: float, weight_sum: float, norms: dict[str, Any]) -> tuple[int | None, int, int | None]:
    """(next mark, «5»s needed, «4»s needed) under the school's rounding; next mark None at «5»."""
    t3, t4, t5 = thresholds(norms)
    avg = weighted_sum / weight_sum if weight_sum > 0 else None
    if avg is None:
        return None, 0, None
    for target_mark, t in ((3, t3), (4, t4), (5, t5)):
        if avg < t:
            return target_mark, marks_needed(weighted_sum, weight_sum, t, 5.0) or 0, marks_needed(
                weighted_sum, weight_sum, t, 4.0)
    return None, 0, None
