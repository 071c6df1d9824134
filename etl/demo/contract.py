"""The default norms under which ground_truth.csv is exact (docs/planted-violations.md).

The ground truth is defined against the *default* norms, so the generator reads them from the
defaults file etl/norms.toml (never from a school's override). The table in
docs/planted-violations.md is the contract; tests check these values against it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from etl.norms import DEFAULTS_PATH

# How far every non-planted weighted average stays from each rounding threshold
# (docs/planted-violations.md, period_mark_mismatch): norms within ±0.1 change nothing.
AVERAGE_MARGIN = 0.15
# Marks every non-planted student gets per subject and period (≥ 8, or ≥ 5 in 1-hour subjects),
# and the most a planted too_few_marks case has.
MIN_MARKS_CLEAN = 8
MIN_MARKS_CLEAN_ONE_HOUR = 5
MAX_MARKS_PLANTED = 2


@dataclass(frozen=True)
class Norms:
    ordinary_days: int
    control_days: int
    by_work_type: dict[str, int]
    spree_min_marks: int
    spree_min_age_days: int
    topic_min_chars: int
    control_grace_days: int
    thresholds: tuple[float, float, float]  # → 3, → 4, → 5
    min_marks: tuple[tuple[int, int], ...]  # (weekly hours, marks), ascending
    homework_exempt_subjects: tuple[str, ...]
    min_grade: int

    def deadline(self, work_type: str, is_control: bool) -> int:
        if work_type in self.by_work_type:
            return self.by_work_type[work_type]
        return self.control_days if is_control else self.ordinary_days

    def min_marks_for(self, hours: float) -> int:
        need = self.min_marks[0][1]
        for h, m in self.min_marks:
            if hours >= h:
                need = m
        return need


def default_norms() -> Norms:
    with DEFAULTS_PATH.open("rb") as f:
        n = tomllib.load(f)
    d, t, j, r = n["deadlines"], n["timeliness"], n["journal"], n["rounding"]
    return Norms(
        ordinary_days=int(d["mark_days"]),
        control_days=int(d["control_work_days"]),
        by_work_type={w["name"]: int(w["days"]) for w in d["by_work_type"]},
        spree_min_marks=int(t["spree_min_marks"]),
        spree_min_age_days=int(t["spree_min_age_days"]),
        topic_min_chars=int(j["topic_min_chars"]),
        control_grace_days=int(j["control_work_grace_days"]),
        thresholds=(float(r["to_3"]), float(r["to_4"]), float(r["to_5"])),
        min_marks=tuple(sorted((int(x["hours"]), int(x["marks"])) for x in n["min_marks"]["by_weekly_hours"])),
        homework_exempt_subjects=tuple(n["homework"]["exempt_subjects"]),
        min_grade=int(n["control"]["min_grade"]),
    )
