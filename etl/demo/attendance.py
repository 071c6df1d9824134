"""Who sat in which lesson, and who was away: illness waves, chronic absentees, lateness, excused days.

Codes are the journal's Cyrillic letters (schema.sql attendance_codes): Н unexcused, Б illness,
П excused (with a reason in the comment), О late (present). Illness and excused absence cover whole
days; skipping and lateness are per lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from etl.demo import calendar
from etl.demo.roster import Roster

ABSENT_CODES = ("Н", "Б", "П")  # «О» (late) is not an absence
EXCUSE_REASONS = ("олимпиада", "соревнования", "по заявлению родителей", "санаторно-курортное лечение",
                  "участие в конкурсе")
ILLNESS_WAVES = (
    # (centre of the wave, spread in days, share of students ill, min and max length in days)
    (date(2025, 10, 8), 12, 0.30, 3, 8),  # autumn ORVI
    (date(2026, 2, 4), 9, 0.35, 4, 10),  # winter flu
)


@dataclass
class AbsenceTraits:
    chronic: list[int]  # students who skip single lessons often («Н»)
    not_attested: list[int]  # students who miss most of period 2 and get «н/а»
    exempt_pe: list[int]  # students exempt from PE for the year («осв»)


def memberships_frame(roster: Roster) -> pl.DataFrame:
    ms = roster.memberships
    return pl.DataFrame(
        {
            "group": [m.group for m in ms],
            "student": [m.student for m in ms],
            "valid_from": [m.valid_from for m in ms],
            "valid_to": [m.valid_to or calendar.YEAR_END for m in ms],
        },
        schema={"group": pl.Int32, "student": pl.Int32, "valid_from": pl.Date, "valid_to": pl.Date},
    )


def student_lessons(lessons: pl.DataFrame, memberships: pl.DataFrame) -> pl.DataFrame:
    """One row per held lesson × member of its group that day, sorted by student, course, seq."""
    held = lessons.filter(pl.col("status") == "held").select(
        "lesson", "course", "group", "date", "lesson_number", "seq", "period_no", "grade", "control_wt"
    )
    return (
        held.join(memberships, on="group")
        .filter(pl.col("date").is_between(pl.col("valid_from"), pl.col("valid_to")))
        .drop("valid_from", "valid_to")
        .sort(["student", "course", "seq"])
    )


def choose_traits(rng: np.random.Generator, roster: Roster) -> AbsenceTraits:
    """Chronic absentees in grades 7–11, one «н/а» student in grades 5–9, a few PE-exempt students."""
    senior = [s.idx for s in roster.students if roster.groups[s.classes[0]].grade >= 7
              and s.classes[0] == s.classes[1]]
    middle = [s.idx for s in roster.students if 5 <= roster.groups[s.classes[0]].grade <= 9
              and s.classes[0] == s.classes[1]]
    chronic = sorted(int(x) for x in rng.choice(senior, size=3, replace=False))
    na = sorted(int(x) for x in rng.choice([s for s in middle if s not in chronic], size=1, replace=False))
    pool = [s.idx for s in roster.students if roster.groups[s.classes[0]].grade >= 2
            and s.idx not in chronic and s.idx not in na]
    exempt = sorted(int(x) for x in rng.choice(pool, size=3, replace=False))
    return AbsenceTraits(chronic, na, exempt)


def _episodes(rng: np.random.Generator, n_students: int) -> pl.DataFrame:
    """Whole-day absences: (student, start, days, code, comment)."""
    parts = []
    for centre, spread, share, lo, hi in ILLNESS_WAVES:
        ill = np.flatnonzero(rng.random(n_students) < share)
        start = rng.normal(0, spread, ill.size).round().astype(int)
        parts.append((ill, [centre + timedelta(days=int(x)) for x in start],
                      rng.integers(lo, hi + 1, ill.size), "Б", None))
    # one ordinary cold a year for about half of the students
    ill = np.flatnonzero(rng.random(n_students) < 0.5)
    offset = rng.integers(0, (calendar.YEAR_END - calendar.YEAR_START).days - 10, ill.size)
    parts.append((ill, [calendar.YEAR_START + timedelta(days=int(x)) for x in offset],
                  rng.integers(2, 6, ill.size), "Б", None))
    # excused days: olympiads, competitions
    exc = np.flatnonzero(rng.random(n_students) < 0.12)
    offset = rng.integers(0, (calendar.YEAR_END - calendar.YEAR_START).days - 3, exc.size)
    reasons = [EXCUSE_REASONS[int(i)] for i in rng.integers(0, len(EXCUSE_REASONS), exc.size)]
    parts.append((exc, [calendar.YEAR_START + timedelta(days=int(x)) for x in offset],
                  rng.integers(1, 3, exc.size), "П", reasons))
    frames = []
    for order, (who, start, days, code, comment) in enumerate(parts):
        frames.append(pl.DataFrame({
            "student": pl.Series(who, dtype=pl.Int32),
            "start": pl.Series(start, dtype=pl.Date),
            "days": pl.Series(days, dtype=pl.Int32),
            "code": pl.Series([code] * len(who), dtype=pl.String),
            "comment": pl.Series(comment if comment is not None else [None] * len(who), dtype=pl.String),
            "priority": pl.Series([order] * len(who), dtype=pl.Int8),
        }))
    ep = pl.concat(frames)
    return (
        ep.with_columns(pl.date_ranges("start", pl.col("start") + pl.duration(days=pl.col("days") - 1)).alias("date"))
        .explode("date")
        .sort(["student", "date", "priority"])
        .unique(["student", "date"], keep="first", maintain_order=True)
        .select("student", "date", "code", "comment")
    )


def mark_absences(rng: np.random.Generator, sl: pl.DataFrame, traits: AbsenceTraits) -> pl.DataFrame:
    """Adds `code` and `comment` (null = present) to the student-lesson frame."""
    n_students = int(sl["student"].max()) + 1
    days = _episodes(rng, n_students)
    days = pl.concat([days, _not_attested_days(rng, sl, traits)]).unique(
        ["student", "date"], keep="last", maintain_order=True)
    out = sl.join(days, on=["student", "date"], how="left", maintain_order="left")
    r = rng.random(out.height)
    chronic = out["student"].is_in(traits.chronic).to_numpy()
    out = out.with_columns(
        # chronic truants skip single lessons; anyone rarely skips one or comes late
        pl.Series("_skip", (chronic & (r < 0.18)) | (r > 0.9975)),
        pl.Series("_late", (r > 0.993) & (r <= 0.9975) & ~chronic),
    )
    code = (
        pl.when(pl.col("code").is_not_null()).then(pl.col("code"))
        .when(pl.col("_skip")).then(pl.lit("Н"))
        .when(pl.col("_late")).then(pl.lit("О"))
        .otherwise(None)
    )
    return out.with_columns(code.alias("code")).drop("_skip", "_late")


def _not_attested_days(rng: np.random.Generator, sl: pl.DataFrame, traits: AbsenceTraits) -> pl.DataFrame:
    """The «н/а» student is away («Н») on all period-2 days but a few that carry no control work."""
    mine = sl.filter(pl.col("student").is_in(traits.not_attested) & (pl.col("period_no") == 2))
    per_day = mine.group_by(["student", "date"]).agg(pl.col("control_wt").is_not_null().any().alias("cw")).sort(
        ["student", "date"])
    free = per_day.filter(~pl.col("cw"))
    present = free.with_columns(pl.Series("r", rng.random(free.height))).sort(["student", "r"]).group_by(
        "student", maintain_order=True).head(5).select("student", "date")
    away = per_day.join(present, on=["student", "date"], how="anti").sort(["student", "date"])
    return away.select("student", "date", pl.lit("Н").alias("code"), pl.lit(None, pl.String).alias("comment"))
