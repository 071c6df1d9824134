"""Views assembled from several metrics: the per-teacher compliance scorecard and the period summary.

Both only count rows of the registered metrics, so every figure traces back to one named query and
no number is computed twice. The scorecard has no combined score: each component stays visible.
The metrics behind each are run as one pack (queries.pack: shared bases built once, two cursors).
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from etl.norms import load_norms
from queries.access import FULL, Access, connection
from queries.registry import BY_NAME, FINDINGS
from queries.pack import run_pack_resolved
from queries.runner import bind
from queries.scope import Scope, resolve

# Findings that belong to a teacher (their frame has teacher_id), in scorecard column order.
TEACHER_FINDINGS: tuple[str, ...] = (
    "topic_missing", "topic_late", "homework_missing", "homework_late", "attendance_unmarked",
    "attendance_late", "mark_late", "mark_spree", "mark_on_absence_no_comment", "mark_work_type_missing",
    "control_work_incomplete", "two_after_absence", "period_mark_missing", "period_mark_late",
    "too_few_marks", "period_mark_mismatch", "period_mark_basis_changed", "substitution_unrecorded",
    "entry_after_compromise",
)
TIMELY_ITEMS: tuple[str, ...] = ("mark", "topic", "attendance", "homework")


def teacher_scorecard(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                      access: Access = FULL) -> pl.DataFrame:
    """One row per teacher: workload, timeliness shares per kind of entry, and the count of each finding."""
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    frames = run_pack_resolved(con, ["teacher_workload", "timeliness_summary", *TEACHER_FINDINGS,
                                     "lesson_marks_density"], values)
    card, timely = frames["teacher_workload"], frames["timeliness_summary"]
    for item in TIMELY_ITEMS:
        part = timely.filter(pl.col("item") == item).select(
            "teacher_id", pl.col("share_within_deadline").alias(f"{item}_in_time_share"))
        card = card.join(part, on="teacher_id", how="left")
    for name in TEACHER_FINDINGS:
        counts = frames[name].group_by("teacher_id").len(name=name)
        card = card.join(counts, on="teacher_id", how="left").with_columns(pl.col(name).fill_null(0))
    lesson_density = frames["lesson_marks_density"]
    below = lesson_density.filter(pl.col("below_norm")).group_by("teacher_id").len(name="lessons_below_marks_norm")
    card = card.join(below, on="teacher_id", how="left").with_columns(pl.col("lessons_below_marks_norm").fill_null(0))
    return card.sort("teacher_id")


def with_finding_titles(card: pl.DataFrame, norms: dict[str, Any]) -> pl.DataFrame:
    """The scorecard with each finding's column headed by its title in the school's norms (the Учителя
    page, `zavuch metrics teacher_scorecard`): the formatters' labels name no metric."""
    return card.rename({n: BY_NAME[n].worded(norms).title for n in TEACHER_FINDINGS if n in card.columns})


def period_summary(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                   access: Access = FULL) -> pl.DataFrame:
    """One row per finding metric: its title, family, basis (MetricInfo.basis) and the number of cases found in scope."""
    con = connection(con, access)
    norms = norms if norms is not None else load_norms()
    values = bind(resolve(con, scope), norms)
    frames = run_pack_resolved(con, list(FINDINGS), values)
    rows = []
    for name in FINDINGS:
        info = BY_NAME[name].worded(norms)
        rows.append({"metric": name, "title": info.title, "family": info.family, "basis": info.basis,
                     "findings": frames[name].height})
    return pl.DataFrame(rows)
