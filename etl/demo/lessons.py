"""The year's lessons from the weekly timetable, the calendar-thematic plan, and the quarantine week.

Held lessons of a course are numbered in date order and linked to the plan lesson with the same
number (so a quarantine makes the class fall behind its plan, as in a real school).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from etl.demo import topics
from etl.demo.roster import Roster
from etl.demo.staffing import Staffing

QUARANTINE_START = date(2026, 2, 2)
QUARANTINE_END = date(2026, 2, 6)


@dataclass
class Quarantine:
    class_idx: int
    start: date
    end: date


def choose_quarantine(rng: np.random.Generator, roster: Roster) -> Quarantine:
    """A class of grades 2–5 closed for a week of the winter flu wave."""
    pool = [g.idx for g in roster.groups if g.kind == "class" and 2 <= g.grade <= 5]
    return Quarantine(int(pool[int(rng.integers(0, len(pool)))]), QUARANTINE_START, QUARANTINE_END)


def courses_frame(staffing: Staffing) -> pl.DataFrame:
    cs = staffing.courses
    return pl.DataFrame(
        {
            "course": [c.idx for c in cs],
            "group": [c.group for c in cs],
            "subject_key": [c.subject_key for c in cs],
            "teacher": [c.teacher for c in cs],
            "hours": [c.hours for c in cs],
            "grade": [c.grade for c in cs],
            "class_idx": [c.class_idx for c in cs],
        },
        schema={"course": pl.Int32, "group": pl.Int32, "subject_key": pl.String, "teacher": pl.Int32,
                "hours": pl.Int8, "grade": pl.Int8, "class_idx": pl.Int32},
    )


def build_lessons(
    timetable: pl.DataFrame, courses: pl.DataFrame, days: pl.DataFrame, quarantine: Quarantine
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(lessons, plan_lessons). Lessons are sorted by date, lesson number and course; `lesson` is the
    row number in that order."""
    scheduled = (
        timetable.join(courses, on="course")
        .join(days, on=["grade", "weekday"])
        .sort(["course", "date", "lesson_number"])
    )
    in_quarantine = (
        (pl.col("class_idx") == quarantine.class_idx)
        & pl.col("date").is_between(quarantine.start, quarantine.end)
    )
    scheduled = scheduled.with_columns(
        pl.when(in_quarantine).then(pl.lit("cancelled")).otherwise(pl.lit("held")).alias("status"),
        (pl.int_range(pl.len()).over("course") + 1).cast(pl.Int32).alias("plan_no"),
    )
    plan = scheduled.select("course", "subject_key", "hours", pl.col("plan_no").alias("number"),
                            pl.col("date").alias("planned_date"))
    topic_map = _topic_map(plan)
    plan = plan.join(topic_map, on=["subject_key", "number", "hours"], how="left").sort(["course", "number"])

    held = scheduled.filter(pl.col("status") == "held").with_columns(
        (pl.int_range(pl.len()).over("course") + 1).cast(pl.Int32).alias("seq")
    )
    held = held.join(
        topic_map.rename({"number": "seq"}), on=["subject_key", "seq", "hours"], how="left"
    )
    cancelled = scheduled.filter(pl.col("status") == "cancelled").with_columns(
        pl.lit(None, pl.Int32).alias("seq"), pl.lit(None, pl.String).alias("topic"),
        pl.lit(None, pl.String).alias("control_wt"),
    )
    cols = ["course", "group", "subject_key", "teacher", "hours", "grade", "class_idx", "date", "weekday",
            "period_no", "lesson_number", "status", "seq", "topic", "control_wt"]
    lessons = (
        pl.concat([held.select(cols), cancelled.select(cols)])
        .sort(["date", "lesson_number", "course"])
        .with_row_index("lesson")
        .with_columns(pl.col("lesson").cast(pl.Int32))
    )
    return lessons, plan


def _topic_map(plan: pl.DataFrame) -> pl.DataFrame:
    keys = plan.select("subject_key", "number", "hours").unique().sort(["subject_key", "hours", "number"])
    subj, num, hrs = keys["subject_key"].to_list(), keys["number"].to_list(), keys["hours"].to_list()
    return keys.with_columns(
        pl.Series("topic", [topics.topic(s, n, h) for s, n, h in zip(subj, num, hrs)], dtype=pl.String),
        pl.Series("control_wt", [topics.control_work(s, n, h) for s, n, h in zip(subj, num, hrs)],
                  dtype=pl.String),
    )
