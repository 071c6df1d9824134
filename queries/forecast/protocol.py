"""Fixed settings of the forecaster and its evaluation protocol, each with its source.

These are not school norms (those live in etl/norms.toml: rounding, «н/а» share, minimum marks, grace
days); they define how forecasts are trained and judged, after shared/docs/forecast-anchors.md.
"""

from __future__ import annotations

# The marks a period ends with, in scale order; «н/а» (не аттестован) is its own class (anchors §4.1 note).
MARKS: tuple[str, ...] = ("2", "3", "4", "5", "н/а")
AT_RISK: frozenset[str] = frozenset({"2", "н/а"})
# A student × subject is "at risk" when P(«2») + P(«н/а») reaches this (issue 6 early warning: the
# at-risk list, students at risk in class forecasts, the letter's warning; F1 "at 0.5" in the backtest).
AT_RISK_PROBABILITY = 0.5

# Backtest cut-offs as shares of the period (issue 6; anchors §3.2 uses 25 % and 50 %).
CUTOFFS: tuple[float, ...] = (0.25, 0.5, 0.75)

# A teacher's attention budget: precision among the top 20 % flagged (anchors §3.2 "precision@top-20 %").
FLAG_SHARE = 0.20

# Below this many labelled rows from earlier periods the learned model is not trained and the rule
# stands alone. The deployment gate of anchors §1.5 (Moodle) asks for a stable evaluation; with a few
# hundred rows a 5-class model is not stable, so one class-size worth of courses (≈ 30 students × 10
# subjects) is the floor.
MIN_TRAINING_ROWS = 300

# Bins of the calibration table (predicted at-risk probability → observed rate).
CALIBRATION_BINS = 10

# Random seed of every model and split, so each figure reproduces exactly.
SEED = 2025
