"""Planting the journal-keeping violations of docs/planted-violations.md and recording each case.

Lesson-level habits (topics, homework, roll, unrecorded substitutions) and mark-level ones («2» after an
absence, a mark on an absence, an incomplete control work) are chosen among the lessons of the teachers
that have the habit. Cases that follow from entry profiles (late marks, sprees) are listed by evaluating the
contract's definition on the generated marks; the compromised account's invalid marks are planted apart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from etl.demo.contract import Norms
from etl.demo.curriculum import SUBJECTS_BY_KEY, WORK_TYPES
from etl.demo.profiles import Profiles

JUNK_TOPICS = ("", "...", "-", "—", "..", "ок", "---")
GT_COLUMNS = ("kind", "school_id", "teacher_id", "group_id", "subject_id", "lesson_id", "student_id", "mark_id",
              "period_id", "event_date", "detail")


def _habit_lessons(lessons: pl.DataFrame, teachers: list[int], extra: pl.Expr | None = None) -> pl.DataFrame:
    cond = (pl.col("status") == "held") & (pl.col("grade") >= 2) & pl.col("teacher").is_in(teachers)
    if extra is not None:
        cond = cond & extra
    return lessons.filter(cond)


def _sample(rng: np.random.Generator, df: pl.DataFrame, share: float) -> pl.DataFrame:
    return df.filter(pl.Series(rng.random(df.height) < share))


def plant_lesson_habits(
    rng: np.random.Generator, lessons: pl.DataFrame, profiles: Profiles, norms: Norms
) -> pl.DataFrame:
    """Adds boolean columns topic_missing, topic_late, homework_missing, homework_late,
    attendance_unmarked to `lessons` (sorted by lesson)."""
    exempt = [k for k, s in SUBJECTS_BY_KEY.items() if s.name in norms.homework_exempt_subjects]
    h = profiles.habits
    topic_missing = _sample(rng, _habit_lessons(lessons, h["topic_skip"]), 0.08)["lesson"]
    topic_late = _sample(rng, _habit_lessons(lessons, h["topic_late"], ~pl.col("lesson").is_in(topic_missing.implode())),
                         0.12)["lesson"]
    with_hw = ~pl.col("subject_key").is_in(exempt)
    hw_missing = _sample(rng, _habit_lessons(lessons, h["homework_skip"], with_hw), 0.10)["lesson"]
    hw_late = _sample(rng, _habit_lessons(lessons, h["homework_late"], with_hw & ~pl.col("lesson").is_in(hw_missing.implode())),
                      0.12)["lesson"]
    unmarked = _sample(rng, _habit_lessons(lessons, h["roll_skip"], pl.col("control_wt").is_null()), 0.06)["lesson"]
    return lessons.with_columns(
        pl.col("lesson").is_in(topic_missing.implode()).alias("topic_missing"),
        pl.col("lesson").is_in(topic_late.implode()).alias("topic_late"),
        pl.col("lesson").is_in(hw_missing.implode()).alias("homework_missing"),
        pl.col("lesson").is_in(hw_late.implode()).alias("homework_late"),
        pl.col("lesson").is_in(unmarked.implode()).alias("attendance_unmarked"),
    )


def plant_substitutions(
    rng: np.random.Generator, lessons: pl.DataFrame, profiles: Profiles, teacher_specialty: list[str],
    grade1_teachers: set[int],
) -> pl.DataFrame:
    """Adds actual_teacher, entered_by, is_substitution, substitution_unrecorded.

    A teacher off sick for a week in November: every lesson recorded as a substitution. Three teachers
    away for two days in winter: the colleague who stood in entered the lessons without recording it."""
    key = ["date", "lesson_number"]
    busy = set(zip(lessons["teacher"].to_list(), lessons["date"].to_list(), lessons["lesson_number"].to_list()))
    n_teachers = len(teacher_specialty)

    def substitute(t: int, d: date, n: int) -> int:
        same = [x for x in range(n_teachers) if teacher_specialty[x] == teacher_specialty[t] and x != t]
        others = [x for x in rng.permutation(n_teachers).tolist() if x != t]
        for x in same + others:
            if (x, d, n) not in busy:
                busy.add((x, d, n))
                return x
        raise RuntimeError("no free substitute")

    held = pl.col("status") == "held"
    sick = lessons.filter(held & (pl.col("teacher") == profiles.sick_teacher)
                          & pl.col("date").is_between(date(2025, 11, 17), date(2025, 11, 21))).sort("lesson")
    recorded = {l: substitute(t, d, n) for l, t, d, n in sick.select("lesson", "teacher", *key).iter_rows()}

    candidates = sorted(set(range(n_teachers)) - grade1_teachers - {profiles.sick_teacher, profiles.compromised})
    away = [int(x) for x in rng.choice(candidates, size=3, replace=False)]
    days = (date(2026, 1, 20), date(2026, 2, 10), date(2026, 3, 3))
    unrecorded: dict[int, int] = {}
    for t, d0 in zip(away, days):
        rows = lessons.filter(held & (pl.col("teacher") == t) & (pl.col("date") >= d0)).sort("lesson")
        first_days = rows["date"].unique().sort().head(2).to_list()
        for l, tt, d, n in rows.filter(pl.col("date").is_in(first_days)).select("lesson", "teacher", *key).iter_rows():
            unrecorded[l] = substitute(tt, d, n)

    rec = pl.DataFrame({"lesson": list(recorded), "sub_rec": list(recorded.values())},
                       schema={"lesson": pl.Int32, "sub_rec": pl.Int32})
    unr = pl.DataFrame({"lesson": list(unrecorded), "sub_unr": list(unrecorded.values())},
                       schema={"lesson": pl.Int32, "sub_unr": pl.Int32})
    out = lessons.join(rec, on="lesson", how="left", maintain_order="left").join(
        unr, on="lesson", how="left", maintain_order="left")
    return out.with_columns(
        pl.coalesce("sub_rec", "teacher").alias("actual_teacher"),
        pl.coalesce("sub_rec", "sub_unr", "teacher").alias("entered_by"),
        pl.col("sub_rec").is_not_null().alias("is_substitution"),
        pl.col("sub_unr").is_not_null().alias("substitution_unrecorded"),
    ).drop("sub_rec", "sub_unr")


def plant_mark_habits(
    rng: np.random.Generator, marks: pl.DataFrame, sl: pl.DataFrame, lessons: pl.DataFrame, profiles: Profiles
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """«2» after an absence, marks on absences (with and without a comment), incomplete control works.

    Returns (marks, control_incomplete lessons). Planted marks are locked against later nudging."""
    h = profiles.habits
    unmarked = lessons.filter(pl.col("attendance_unmarked"))["lesson"]
    safe = (pl.col("grade") >= 2) & ~pl.col("few") & ~pl.col("ex_na") & ~pl.col("ex_pe") \
        & ~pl.col("lesson").is_in(unmarked.implode()) & ~pl.col("prev_lesson").is_in(unmarked.implode()).fill_null(False) \
        & pl.col("control_wt").is_null()
    # «2» on the first lesson after an absence
    two = sl.filter(safe & pl.col("prev_absent") & ~pl.col("absent") & pl.col("teacher").is_in(h["two_after_absence"]))
    two = _sample(rng, two, 0.12).select("student", "lesson")
    two = two.with_columns(pl.Series("r", rng.random(two.height))).sort("r").head(60).drop("r").sort(
        ["student", "lesson"])
    new_two = two.join(marks, on=["student", "lesson"], how="anti")
    marks = marks.join(two.with_columns(pl.lit(2, pl.Int8).alias("v2")), on=["student", "lesson"], how="left",
                       maintain_order="left").with_columns(
        pl.coalesce("v2", "value").alias("value"), (pl.col("locked") | pl.col("v2").is_not_null()).alias("locked"),
    ).drop("v2")
    answer = next(w.name for w in WORK_TYPES if w.key == "answer")
    extra = [new_two.with_columns(pl.lit(2, pl.Int8).alias("value"), pl.lit(None, pl.String).alias("comment"))]
    # marks on absences: most without a comment (violations), some with the 2.9 comment (legitimate)
    absent = sl.filter(safe & pl.col("absent") & pl.col("teacher").is_in(h["mark_on_absence"])).select(
        "student", "lesson")
    absent = absent.with_columns(pl.Series("r", rng.random(absent.height))).sort("r").head(60).drop("r").sort(
        ["student", "lesson"])
    with_comment = rng.random(absent.height) < 0.3
    extra.append(absent.with_columns(
        pl.Series("value", rng.integers(3, 6, absent.height).astype(np.int8)),
        pl.Series("comment", np.where(with_comment, "пропуск по болезни, тема сдана (п. 2.9)", None).tolist(),
                  dtype=pl.String),
    ))
    new = pl.concat(extra).join(
        sl.select("student", "lesson", "course", "period_no", "subject_key", "prev_absent", "date", "teacher",
                  "grade"), on=["student", "lesson"])
    new = new.with_columns(pl.lit(answer).alias("work_type"), pl.lit(1, pl.Int8).alias("weight"),
                           pl.lit(True).alias("locked"))
    marks = pl.concat([marks, new.select(marks.columns)]).sort(["student", "lesson"])
    # incomplete control works: 1–3 present students never got their mark (one lesson per course-period)
    cw = marks.filter(pl.col("work_type").is_in([w.name for w in WORK_TYPES if w.is_control])
                      & pl.col("teacher").is_in(h["control_incomplete"]))
    lessons_cw = cw.select("lesson", "course", "period_no").unique().sort("lesson")
    lessons_cw = lessons_cw.with_columns(pl.Series("r", rng.random(lessons_cw.height))).sort("r").group_by(
        ["course", "period_no"], maintain_order=True).first()
    lessons_cw = _sample(rng, lessons_cw.sort("lesson"), 0.5).select("lesson")
    drop = cw.join(lessons_cw, on="lesson", how="semi").sort(["lesson", "student"])
    drop = drop.with_columns(pl.Series("r", rng.random(drop.height)), pl.Series("k", rng.integers(1, 4, drop.height)))
    drop = drop.with_columns(pl.col("r").rank("ordinal").over("lesson").alias("rank"),
                             pl.col("k").first().over("lesson")).filter(pl.col("rank") <= pl.col("k"))
    marks = marks.join(drop.select("student", "lesson"), on=["student", "lesson"], how="anti")
    return marks, lessons_cw


def plant_compromise(rng: np.random.Generator, marks: pl.DataFrame, flags: pl.DataFrame, lessons: pl.DataFrame,
                     compromised: int, reported_at: datetime, n: int = 15) -> pl.DataFrame:
    """Marks an outsider entered with the compromised account after its compromise was reported: a «5» for
    `n` present students without a mark on the account's own lessons of the last two school weeks before
    the report, entered on the evening of the report's day. The account's own work all precedes the report,
    so these are its only entries after it: invalid under regulation 4.4, they are the planted
    entry_after_compromise cases and count in no other metric. Returned apart from `marks` (same columns
    and a continuing `mark` number), so no other planted case or period mark is computed with them."""
    window = (pl.col("date") >= reported_at.date() - timedelta(days=14)) & (pl.col("date") < reported_at.date())
    own = lessons.filter((pl.col("status") == "held") & (pl.col("actual_teacher") == compromised)
                         & (pl.col("grade") >= 2) & window).select("lesson")
    pool = (flags.filter(pl.col("eligible")).join(own, on="lesson", how="semi")
            .join(marks.select("student", "lesson"), on=["student", "lesson"], how="anti")
            .unique(["student", "lesson"]).sort(["lesson", "student"]))
    picked = pool.with_columns(pl.Series("r", rng.random(pool.height))).sort("r").head(n).sort(["lesson", "student"])
    answer = WORK_TYPES[0]
    evening = datetime.combine(reported_at.date(), datetime.min.time()) + timedelta(hours=21, minutes=40)
    attack = picked.join(marks.select(pl.exclude("student", "value", "value_raw", "weight", "comment", "work_type",
                                                  "entered_by", "entered_at", "mark", "locked", "prev_absent"))
                         .unique("lesson"), on="lesson", how="left").with_columns(
        pl.lit(5, marks.schema["value"]).alias("value"), pl.lit("5").alias("value_raw"),
        pl.lit(answer.weight, marks.schema["weight"]).alias("weight"), pl.lit(None, pl.String).alias("comment"),
        pl.lit(answer.name).alias("work_type"), pl.lit(compromised, marks.schema["entered_by"]).alias("entered_by"),
        (pl.lit(evening) + pl.duration(seconds=pl.int_range(pl.len()) * 53)).cast(marks.schema["entered_at"])
        .alias("entered_at"),
        (pl.int_range(pl.len()) + marks.height).cast(marks.schema["mark"]).alias("mark"),
        pl.lit(False).alias("locked"), pl.lit(False).alias("prev_absent"),
    )
    return attack.select(marks.columns)


def profile_cases(marks: pl.DataFrame, norms: Norms) -> dict[str, pl.DataFrame]:
    """mark_late, mark_spree and mark_entered_before_lesson, by definition, on the valid marks (the
    compromised account's invalid ones are plant_compromise's)."""
    lag = (pl.col("entered_at").dt.date() - pl.col("date")).dt.total_days()
    deadline = pl.col("work_type").replace_strict(
        {w.name: norms.deadline(w.name, w.is_control) for w in WORK_TYPES}, return_dtype=pl.Int32)
    m = marks.with_columns(lag.alias("lag"), deadline.alias("deadline"))
    spree = (
        m.filter(pl.col("lag") >= norms.spree_min_age_days)
        .group_by("entered_by", pl.col("entered_at").dt.date().alias("day"))
        .len("n")
        .filter(pl.col("n") >= norms.spree_min_marks)
        .sort(["entered_by", "day"])
    )
    return {
        "mark_late": m.filter(pl.col("lag") > pl.col("deadline")),
        "mark_spree": spree,
        "mark_entered_before_lesson": m.filter(pl.col("lag") < 0),
    }
