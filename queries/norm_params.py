"""The school's norms (etl.norms.load_norms) flattened into the named SQL parameters the metrics use.

One place maps each norm key to its parameter, so a .sql file never holds a threshold literal.
"""

from __future__ import annotations

from typing import Any


def _ladder(rows: list[dict[str, Any]], step: str, value: str) -> tuple[list[float], list[float]]:
    ordered = sorted(rows, key=lambda r: r[step])
    return [float(r[step]) for r in ordered], [float(r[value]) for r in ordered]


def norm_params(norms: dict[str, Any]) -> dict[str, Any]:
    """Every norm as a SQL parameter value (lists for ladders and exemption lists)."""
    d = norms["deadlines"]
    hours, marks = _ladder(norms["min_marks"]["by_weekly_hours"], "hours", "marks")
    hw_grades, hw_minutes = _ladder(norms["homework"]["daily_minutes_limit"], "grade_from", "minutes")
    return {
        "min_grade": int(norms["control"]["min_grade"]),
        "default_week_days": int(norms["school_week"]["default_days"]),
        "max_entry_lag_days": int(norms["plausibility"]["max_entry_lag_days"]),
        "topic_days": int(d["topic_days"]),
        "attendance_days": int(d["attendance_days"]),
        "homework_days": int(d["homework_days"]),
        "mark_days": int(d["mark_days"]),
        "control_work_days": int(d["control_work_days"]),
        "period_mark_days": int(d["period_mark_days"]),
        "named_work_types": [str(r["name"]) for r in d["by_work_type"]],
        "named_work_type_days": [int(r["days"]) for r in d["by_work_type"]],
        "spree_min_marks": int(norms["timeliness"]["spree_min_marks"]),
        "spree_min_age_days": int(norms["timeliness"]["spree_min_age_days"]),
        "topic_min_chars": int(norms["journal"]["topic_min_chars"]),
        "lesson_marked_share": float(norms["journal"]["lesson_marked_share"]),
        "student_marked_share": float(norms["journal"]["student_marked_share"]),
        "control_work_grace_days": int(norms["journal"]["control_work_grace_days"]),
        "two_correction_lessons": int(norms["journal"]["two_correction_lessons"]),
        "assessment_min_interval_days": float(norms["assessment"]["min_interval_days"]),
        "assessment_max_share": float(norms["assessment"]["max_share"]),
        "assessment_edge_exempt_hours": float(norms["assessment"]["edge_exempt_weekly_hours"]),
        "round_to_3": float(norms["rounding"]["to_3"]),
        "round_to_4": float(norms["rounding"]["to_4"]),
        "round_to_5": float(norms["rounding"]["to_5"]),
        "year_tie_either": bool(norms["rounding"]["year_tie_either"]),
        "min_marks_hours": hours,
        "min_marks_counts": marks,
        "class_short_share": float(norms["min_marks"]["class_short_share"]),
        "na_risk_share": float(norms["attendance"]["na_risk_missed_share"]),
        "systematic_absence_share": float(norms["attendance"]["systematic_absence_share"]),
        "illness_spike_share": float(norms["attendance"]["illness_spike_share"]),
        "sou_5": float(norms["sou"]["grade_5"]),
        "sou_4": float(norms["sou"]["grade_4"]),
        "sou_3": float(norms["sou"]["grade_3"]),
        "sou_2": float(norms["sou"]["grade_2"]),
        "sou_1": float(norms["sou"]["grade_1"]),
        "sou_na": float(norms["sou"]["not_attested"]),
        "hw_exempt_grades": [int(g) for g in norms["homework"]["exempt_grades"]],
        "hw_exempt_subjects": [str(s) for s in norms["homework"]["exempt_subjects"]],
        "hw_limit_grades": hw_grades,
        "hw_limit_minutes": hw_minutes,
    }
