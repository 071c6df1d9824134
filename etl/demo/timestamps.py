"""When things were entered: realistic local times of day for topics, the roll, homework and marks.

Teachers write the topic and take the roll during the lesson, set homework at the end of the lesson or
in the evening, and enter marks according to their entry profile (etl/demo/profiles.py).
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl

from etl.demo.profiles import NEXT_DAY, SPREE, WEEKLY_BATCH
from etl.demo.timetable import LESSON_STARTS


def _start_minutes() -> pl.Expr:
    return pl.col("lesson_number").replace_strict(
        {i + 1: m for i, m in enumerate(LESSON_STARTS)}, return_dtype=pl.Int32)


def at(day: pl.Expr, minutes: pl.Expr, seconds: pl.Expr) -> pl.Expr:
    """A timestamp on `day` at `minutes` after midnight plus `seconds`."""
    return day.cast(pl.Datetime("us")) + pl.duration(minutes=minutes, seconds=seconds)


def _u(rng: np.random.Generator, n: int, lo: int, hi: int, name: str) -> pl.Series:
    return pl.Series(name, rng.integers(lo, hi + 1, n).astype(np.int32))


def lesson_times(rng: np.random.Generator, lessons: pl.DataFrame) -> pl.DataFrame:
    """topic_entered_at, attendance_taken_at for held lessons (null for cancelled / unmarked roll)."""
    n = lessons.height
    df = lessons.with_columns(
        _u(rng, n, 2, 40, "_tmin"), _u(rng, n, 1, 8, "_amin"), _u(rng, n, 0, 59, "_s1"), _u(rng, n, 0, 59, "_s2"),
        _u(rng, n, 1, 3, "_late_days"), _u(rng, n, 18 * 60, 22 * 60 + 50, "_evening"),
    )
    start = _start_minutes()
    held = pl.col("status") == "held"
    topic_at = (
        pl.when(~held | (pl.col("topic").is_null()))
        .then(None)
        .when(pl.col("topic_late"))
        .then(at(pl.col("date") + pl.duration(days=pl.col("_late_days")), pl.col("_evening"), pl.col("_s1")))
        .otherwise(at(pl.col("date"), start + pl.col("_tmin"), pl.col("_s1")))
    )
    roll_at = (
        pl.when(~held | pl.col("attendance_unmarked"))
        .then(None)
        .otherwise(at(pl.col("date"), start + pl.col("_amin"), pl.col("_s2")))
    )
    return df.with_columns(topic_at.alias("topic_entered_at"), roll_at.alias("attendance_taken_at")).drop(
        "_tmin", "_amin", "_s1", "_s2", "_late_days", "_evening")


def homework_times(rng: np.random.Generator, hw: pl.DataFrame) -> pl.Series:
    """At the end of the lesson (most), the same evening, or a few days ahead; planted ones days late."""
    n = hw.height
    r = rng.random(n)
    df = hw.with_columns(
        pl.Series("_r", r), _u(rng, n, 30, 44, "_end"), _u(rng, n, 17 * 60, 22 * 60 + 50, "_evening"),
        _u(rng, n, 0, 59, "_s"), _u(rng, n, 1, 3, "_days"),
    )
    start = _start_minutes()
    expr = (
        pl.when(pl.col("homework_late"))
        .then(at(pl.col("date") + pl.duration(days=pl.col("_days")), pl.col("_evening"), pl.col("_s")))
        .when(pl.col("_r") < 0.65)
        .then(at(pl.col("date"), start + pl.col("_end"), pl.col("_s")))
        .when((pl.col("_r") < 0.9) | (pl.col("date") < date(2025, 9, 8)))
        .then(at(pl.col("date"), pl.col("_evening"), pl.col("_s")))
        .otherwise(at(pl.col("date") - pl.duration(days=pl.col("_days")), pl.col("_evening"), pl.col("_s")))
    )
    return df.select(expr.alias("entered_at")).to_series()


def mark_times(
    rng: np.random.Generator, marks: pl.DataFrame, spree_days: dict[int, list[date]]
) -> pl.Series:
    """Entry time of each mark by the entry profile of whoever entered it (marks has profile, date,
    lesson_number, period_no, weekday, is_control)."""
    n = marks.height
    df = marks.with_columns(
        pl.col("profile").alias("_prof"),
        pl.Series("_r", rng.random(n)),
        _u(rng, n, 5, 44, "_during"), _u(rng, n, 16 * 60, 22 * 60 + 50, "_evening"),
        _u(rng, n, 19 * 60, 23 * 60 + 20, "_sunday"), _u(rng, n, 13 * 60, 23 * 60 + 30, "_spree_min"),
        _u(rng, n, 0, 59, "_s"), _u(rng, n, 1, 5, "_check_days"), _u(rng, n, 0, 2, "_spree_pick"),
    )
    p1, p2 = sorted(spree_days[1]), sorted(spree_days[2])
    spree_day = (
        pl.when(pl.col("period_no") == 1)
        .then(pl.lit(pl.Series([p1], dtype=pl.List(pl.Date))).list.get(pl.col("_spree_pick")))
        .otherwise(pl.lit(pl.Series([p2], dtype=pl.List(pl.Date))).list.get(pl.col("_spree_pick")))
    )
    first_spree = pl.when(pl.col("period_no") == 1).then(pl.lit(p1[0])).otherwise(pl.lit(p2[0]))
    start = _start_minutes()
    sunday = pl.col("date") + pl.duration(days=6 - pl.col("weekday").cast(pl.Int32))
    same_day = (
        pl.when(pl.col("_r") < 0.6)
        .then(at(pl.col("date"), start + pl.col("_during"), pl.col("_s")))
        .otherwise(at(pl.col("date"), pl.col("_evening"), pl.col("_s")))
    )
    next_day = at(pl.col("date") + pl.duration(days=1), pl.col("_evening"), pl.col("_s"))
    expr = (
        pl.when(pl.col("is_control") & (pl.col("_prof") == WEEKLY_BATCH))
        .then(at(sunday, pl.col("_sunday"), pl.col("_s")))
        .when(pl.col("is_control"))  # written work takes a few days to check
        .then(at(pl.col("date") + pl.duration(days=pl.col("_check_days")), pl.col("_evening"), pl.col("_s")))
        .when(pl.col("_prof") == WEEKLY_BATCH)
        .then(at(sunday, pl.col("_sunday"), pl.col("_s")))
        .when((pl.col("_prof") == SPREE) & (pl.col("date") < first_spree))
        .then(at(spree_day, pl.col("_spree_min"), pl.col("_s")))
        .when((pl.col("_prof") == NEXT_DAY) & (pl.col("_r") < 0.7))
        .then(next_day)
        .otherwise(same_day)
    )
    return df.select(expr.alias("entered_at")).to_series()


def final_mark_times(rng: np.random.Generator, n: int, days: list[date]) -> pl.Series:
    """Afternoons and evenings of the given days (the last school days of a period)."""
    day = np.array(days, dtype="datetime64[D]")[rng.integers(0, len(days), n)]
    minutes = rng.integers(14 * 60, 21 * 60 + 30, n).astype("timedelta64[m]")
    seconds = rng.integers(0, 60, n).astype("timedelta64[s]")
    stamp = day.astype("datetime64[s]") + minutes + seconds
    return pl.Series("entered_at", stamp.astype("datetime64[us]"))


def stamp(d: date, hh: int, mm: int) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm)
