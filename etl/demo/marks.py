"""Current marks: who gets a mark on which lesson, for what kind of work, and its value.

Values follow each student's latent ability plus noise. The background is kept clean for the planted
kinds of docs/planted-violations.md: only present students are marked, every present student gets a
mark on a control work, nobody gets a «2» right after an absence, every student gets enough marks per
period, and every weighted average stays clear of the rounding thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo.attendance import ABSENT_CODES
from etl.demo.contract import AVERAGE_MARGIN, MIN_MARKS_CLEAN, MIN_MARKS_CLEAN_ONE_HOUR
from etl.demo.curriculum import SUBJECTS, WORK_TYPES, ordinary_mix

KEY = ["student", "course", "period_no"]
WEIGHT = {w.name: w.weight for w in WORK_TYPES}
WT_NAME = {w.key: w.name for w in WORK_TYPES}
CONTROL_NAMES = frozenset(w.name for w in WORK_TYPES if w.is_control)


@dataclass
class Exclusions:
    """Students × courses whose marks are planted elsewhere (too few marks, «н/а», «осв»)."""

    exempt_pe: list[int]
    not_attested: list[int]  # in period 2
    too_few: list[tuple[int, int]]  # (course, period_no)


def with_flags(sl: pl.DataFrame, courses: pl.DataFrame, ex: Exclusions) -> pl.DataFrame:
    """Student-lesson rows plus subject, hours, presence, the previous lesson's absence and exclusions."""
    few = pl.DataFrame(ex.too_few, schema={"course": pl.Int32, "period_no": pl.Int8}, orient="row").with_columns(
        pl.lit(True).alias("few"))
    out = (
        sl.join(courses.select("course", "subject_key", "hours", "teacher"), on="course", maintain_order="left")
        .join(few, on=["course", "period_no"], how="left", maintain_order="left")
        .with_columns(
            pl.col("code").is_in(ABSENT_CODES).fill_null(False).alias("absent"),
            pl.col("few").fill_null(False),
        )
        .sort(["student", "course", "seq"])
        .with_columns(
            (
                pl.col("absent").shift(1).over(["student", "course"]).fill_null(False)
                & ((pl.col("seq") - pl.col("seq").shift(1).over(["student", "course"])) == 1).fill_null(False)
            ).alias("prev_absent"),
            pl.col("lesson").shift(1).over(["student", "course"]).alias("prev_lesson"),
            ((pl.col("subject_key") == "pe") & pl.col("student").is_in(ex.exempt_pe)).alias("ex_pe"),
            ((pl.col("period_no") == 2) & pl.col("student").is_in(ex.not_attested)).alias("ex_na"),
        )
        .with_columns(
            (
                (pl.col("grade") >= 2) & ~pl.col("absent") & ~pl.col("ex_pe") & ~pl.col("ex_na") & ~pl.col("few")
            ).alias("eligible")
        )
    )
    return out


def _draw(rng: np.random.Generator, df: pl.DataFrame, name: str = "r") -> pl.DataFrame:
    return df.with_columns(pl.Series(name, rng.random(df.height)))


def choose_marked(rng: np.random.Generator, sl: pl.DataFrame) -> pl.DataFrame:
    """(student, lesson, work_type) of every mark before planting; sl from `with_flags`."""
    base = sl.filter(pl.col("eligible"))
    control = base.filter(pl.col("control_wt").is_not_null()).select(
        "student", "lesson", pl.col("control_wt").alias("work_type"))
    ordinary = base.filter(pl.col("control_wt").is_null())
    # each course-period has its own marking rate: about 9–13 marks per student and period
    cp = ordinary.group_by(["course", "period_no"]).agg(pl.col("lesson").n_unique().alias("n_lessons")).sort(
        ["course", "period_no"])
    cp = cp.with_columns(pl.Series("target", rng.uniform(9.0, 13.0, cp.height)))
    ordinary = _draw(rng, ordinary.join(cp, on=["course", "period_no"], maintain_order="left"))
    ordinary = ordinary.with_columns(
        (pl.col("r") < (pl.col("target") / pl.col("n_lessons")).clip(0.05, 0.9)).alias("marked"))
    # top up: every student gets 9 marks per course-period (6 in 1-hour subjects), so that one planted
    # missing control mark still leaves the contract minimum (8 / 5)
    need = pl.when(pl.col("hours") >= 2).then(MIN_MARKS_CLEAN + 1).otherwise(MIN_MARKS_CLEAN_ONE_HOUR + 1)
    n_control = control.join(sl.select("student", "lesson", "course", "period_no"), on=["student", "lesson"]).group_by(
        KEY).len("n_control")
    ordinary = (
        ordinary.join(n_control, on=KEY, how="left", maintain_order="left")
        .with_columns(pl.col("n_control").fill_null(0))
        .with_columns(
            (need - pl.col("n_control") - pl.col("marked").cast(pl.Int32).sum().over(KEY)).clip(0).alias("deficit"),
            pl.Series("r2", rng.random(ordinary.height)),
        )
        .with_columns(
            # among unmarked lessons, the `deficit` with the smallest r2 get a mark
            (pl.col("r2") + pl.col("marked").cast(pl.Float64)).rank("ordinal").over(KEY).alias("rank")
        )
        .with_columns((pl.col("marked") | (pl.col("rank") <= pl.col("deficit"))).alias("marked"))
    )
    chosen = ordinary.filter(pl.col("marked")).select("student", "lesson", "subject_key")
    chosen = _ordinary_types(rng, chosen.sort(["student", "lesson"]))
    return pl.concat([control, chosen]).sort(["student", "lesson"])


def _ordinary_types(rng: np.random.Generator, chosen: pl.DataFrame) -> pl.DataFrame:
    r = rng.random(chosen.height)
    keys = chosen["subject_key"].to_numpy()
    out = np.empty(chosen.height, dtype=object)
    for subj in SUBJECTS:
        mask = keys == subj.key
        if not mask.any():
            continue
        mix = ordinary_mix(subj.key)
        edges = np.cumsum([p for _, p in mix])
        idx = np.searchsorted(edges / edges[-1], r[mask], side="right").clip(0, len(mix) - 1)
        out[mask] = np.array([WT_NAME[k] for k, _ in mix], dtype=object)[idx]
    return chosen.select("student", "lesson").with_columns(pl.Series("work_type", out.tolist(), dtype=pl.String))


def sparse_marks(rng: np.random.Generator, sl: pl.DataFrame) -> pl.DataFrame:
    """Planted thin records: in a too-few course-period, and for the «н/а» student in period 2, each
    student gets only 1–2 ordinary marks."""
    rows = sl.filter((pl.col("few") | pl.col("ex_na")) & ~pl.col("absent") & (pl.col("grade") >= 2)
                     & ~pl.col("ex_pe"))
    rows = _draw(rng, rows).with_columns(pl.col("r").rank("ordinal").over(KEY).alias("rank"))
    keys = rows.select(KEY).unique().sort(KEY)
    keys = keys.with_columns(pl.Series("k", rng.integers(1, 3, keys.height)))
    picked = rows.join(keys, on=KEY).filter(pl.col("rank") <= pl.col("k")).select(
        "student", "lesson", "subject_key").sort(["student", "lesson"])
    picked = picked.with_columns(pl.lit(WT_NAME["answer"]).alias("work_type")).select(
        "student", "lesson", "work_type")
    return picked


def assign_values(rng: np.random.Generator, marks: pl.DataFrame, sl: pl.DataFrame, n_students: int) -> pl.DataFrame:
    """Value 2–5 from ability; adds course, period, weight, prev_absent. No «2» right after an absence."""
    ability = np.clip(rng.normal(3.85, 0.55, n_students), 2.7, 4.95)
    m = marks.join(
        sl.select("student", "lesson", "course", "period_no", "subject_key", "prev_absent", "date", "teacher",
                  "grade"),
        on=["student", "lesson"],
    ).sort(["student", "lesson"])
    subj_codes = {s.key: i for i, s in enumerate(SUBJECTS)}
    offset = rng.normal(0.0, 0.25, (n_students, len(SUBJECTS)))
    st = m["student"].to_numpy()
    sj = np.array([subj_codes[k] for k in m["subject_key"].to_list()], dtype=np.int64)
    is_control = m["work_type"].is_in(list(CONTROL_NAMES)).to_numpy()
    raw = ability[st] + offset[st, sj] + rng.normal(0.0, 0.7, m.height) - 0.15 * is_control
    value = np.clip(np.rint(raw), 2, 5).astype(np.int8)
    m = m.with_columns(
        pl.Series("value", value),
        pl.col("work_type").replace_strict(WEIGHT, return_dtype=pl.Int8).alias("weight"),
        pl.lit(False).alias("locked"),
        pl.lit(None, pl.String).alias("comment"),
    )
    return m.with_columns(
        pl.when(pl.col("prev_absent") & (pl.col("value") == 2)).then(3).otherwise(pl.col("value"))
        .cast(pl.Int8).alias("value")
    )


def weighted_averages(marks: pl.DataFrame) -> pl.DataFrame:
    return marks.group_by(KEY).agg(
        ((pl.col("value").cast(pl.Float64) * pl.col("weight")).sum() / pl.col("weight").cast(pl.Float64).sum())
        .alias("avg")
    )


def keep_clear_of_thresholds(
    rng: np.random.Generator, marks: pl.DataFrame, thresholds: tuple[float, ...]
) -> pl.DataFrame:
    """Nudge unlocked marks one step at a time until no weighted average lies within AVERAGE_MARGIN of a
    threshold. Near the lowest threshold averages go up, elsewhere away from the threshold; a nudge never
    creates a «2». When the unlocked marks cannot carry an average clear on that side (say a locked «2»
    among «5»s just above 4.5), it goes the other way: the reachable range does not change as marks move,
    so the direction is stable and every student × course × period settles."""
    margin = AVERAGE_MARGIN + 1e-6
    lowest = min(thresholds)
    for _ in range(60):
        avg = _reachable_averages(marks)
        direction = pl.lit(0)
        for t in sorted(thresholds, reverse=True):
            near = (pl.col("avg") - t).abs() < margin
            up = (pl.col("avg") >= t) | pl.lit(t <= lowest)
            can_up = pl.col("avg_max") - t >= margin
            can_down = t - pl.col("avg_min") >= margin
            way = (
                pl.when(up & (can_up | ~can_down)).then(1)
                .when(~up & ~can_down & can_up).then(1)
                .otherwise(-1)
            )
            direction = pl.when(near).then(way).otherwise(direction)
        near = avg.with_columns(direction.alias("dir")).filter(pl.col("dir") != 0).select(*KEY, "dir")
        if near.height == 0:
            return marks
        cand = marks.join(near, on=KEY).filter(
            ~pl.col("locked")
            & (((pl.col("dir") == 1) & (pl.col("value") < 5)) | ((pl.col("dir") == -1) & (pl.col("value") >= 4)))
        ).sort(["student", "lesson"])
        cand = _draw(rng, cand).with_columns((pl.col("value") * pl.col("dir")).alias("score"))
        pick = cand.sort([*KEY, "score", "r"]).group_by(KEY, maintain_order=True).first().select(
            "student", "lesson", "dir")
        marks = (
            marks.join(pick, on=["student", "lesson"], how="left", maintain_order="left")
            .with_columns((pl.col("value") + pl.col("dir").fill_null(0)).cast(pl.Int8).alias("value"))
            .drop("dir")
        )
    stuck = near.head(3).rows()
    raise RuntimeError(
        "demo marks: weighted averages did not settle away from the rounding thresholds; the unlocked marks of "
        f"(student, course, period, direction) {stuck} cannot move them {AVERAGE_MARGIN} clear")


def _reachable_averages(marks: pl.DataFrame) -> pl.DataFrame:
    """Per student × course × period: the weighted average now, and the highest and lowest ones the nudges
    can reach (unlocked marks up to «5»; unlocked «4»/«5» down to «3», a «2»/«3» stays)."""
    w = pl.col("weight").cast(pl.Float64)
    v = pl.col("value").cast(pl.Float64)
    free = ~pl.col("locked")
    top = pl.when(free).then(5.0).otherwise(v)
    bottom = pl.when(free).then(v.clip(upper_bound=3.0)).otherwise(v)
    return marks.group_by(KEY).agg(
        ((v * w).sum() / w.sum()).alias("avg"),
        ((top * w).sum() / w.sum()).alias("avg_max"),
        ((bottom * w).sum() / w.sum()).alias("avg_min"),
    )


def round_average(avg: pl.Expr, thresholds: tuple[float, float, float]) -> pl.Expr:
    """Weighted average → period mark: a value ≥ threshold rounds up."""
    to3, to4, to5 = thresholds
    return (
        pl.when(avg >= to5).then(5).when(avg >= to4).then(4).when(avg >= to3).then(3).otherwise(2).cast(pl.Int8)
    )


def add_modifiers(rng: np.random.Generator, marks: pl.DataFrame) -> pl.DataFrame:
    """Дневник.ру-style «5-», «4+», «3-» on about one mark in ten (the number is what counts)."""
    r = rng.random(marks.height)
    sign = np.where(rng.random(marks.height) < 0.5, "+", "-")
    mod = pl.Series("mod", np.where(r < 0.1, sign, ""))
    v = pl.col("value").cast(pl.String)
    return marks.with_columns(mod).with_columns(
        pl.when((pl.col("mod") == "") | (pl.col("value") == 2)).then(v)
        .when(pl.col("value") == 5).then(pl.lit("5-"))
        .otherwise(v + pl.col("mod")).alias("value_raw")
    ).drop("mod")
