"""Figures the control deck needs beyond single metrics, kept here so the deck computes nothing itself.

    queries.deck.lookups(con) -> Lookups                    names behind ids, for filters and labels
    queries.deck.previous_scope(con, scope) -> Scope | None  the period (or date range) before a scope
    queries.deck.key_figures(con, scope, norms=None) -> pl.DataFrame
    queries.deck.coverage(con, scope) -> pl.DataFrame       lessons / marks per class and week
    queries.deck.rejected_rows(con, limit=5000) -> pl.DataFrame
    queries.deck.mark_timeliness_by(con, scope, norms=None) -> pl.DataFrame   marks by subject, class, week
    queries.deck.mark_lag_distribution(con, scope, norms=None) -> pl.DataFrame
    queries.deck.attendance_class_day(con, scope) -> pl.DataFrame
    queries.deck.scope_lessons(con, scope, norms=None) -> ScopeLessons   lessons the filters select
    queries.deck.periods_not_ended(con, scope) -> pl.DataFrame  periods of the scope still running on its check day

Key figures are composed from registered metrics (as queries.scorecard does), so each traces back to a
named query: timeliness from `timeliness_summary`, topics and homework from `topic_missing` /
`homework_missing` over the held lessons of `lesson_base.sql`, attendance from `attendance_summary`,
results from `results_summary`, students at risk from `na_risk`, `chronic_absentees`,
`student_categories` and `too_few_marks`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl.norms import load_norms
from etl.rounding import half_up
from queries.access import FULL, Access, access_of, connection, guard
from queries.runner import bind, ensure_setup, run_resolved
from queries.scope import Scope, ScopeError, resolve

SQL_DIR = Path(__file__).parent

# Key figures in the order the Обзор shows them: key, control area (queries.FAMILIES key), Russian title, unit.
# Units: "share" is a fraction 0..1, "pct" is percent 0..100, "count" is a number of students.
FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("timeliness", "timeliness", "Записи внесены в срок", "share"),
    ("topics", "journal", "Уроки с темой", "share"),
    ("homework", "homework", "Уроки с домашним заданием", "share"),
    ("attendance", "attendance", "Посещаемость", "share"),
    ("success", "results", "Успеваемость", "pct"),
    ("quality", "results", "Качество знаний", "pct"),
    ("sou", "results", "СОУ", "pct"),
    ("at_risk", "results", "Учеников в группе риска", "count"),
)
# Decimals each unit is shown with (a share as a percent to 0,1: three decimals of the fraction). The Обзор's
# value, its previous value, the change and the traffic light are all of the figure as shown.
SHOWN_DECIMALS: dict[str, int] = {"share": 3, "pct": 1, "count": 0}
# The one figure per control area whose traffic light stands for the area.
AREA_FIGURE: dict[str, str] = {
    "timeliness": "timeliness", "journal": "topics", "homework": "homework",
    "attendance": "attendance", "results": "success",
}


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    text = _sql(name)
    if params is not None:
        params = {k: v for k, v in params.items() if f"${k}" in text}
    try:
        return guard(con.sql(text, params=params).pl(), con)
    except duckdb.CatalogException:
        ensure_setup(con)
        return guard(con.sql(text, params=params).pl(), con)


@dataclass(frozen=True)
class Lookups:
    """Dimension rows for filters and for showing names instead of ids."""

    schools: pl.DataFrame
    years: pl.DataFrame
    periods: pl.DataFrame
    groups: pl.DataFrame
    subjects: pl.DataFrame
    people: pl.DataFrame


def lookups(con: duckdb.DuckDBPyConnection, access: Access = FULL) -> Lookups:
    """Only what `access` may see; a pseudonymised access gets students' pseudonyms as their names."""
    con = connection(con, access)
    return Lookups(
        schools=_query(con, "dim_schools"), years=_query(con, "dim_years"), periods=_query(con, "dim_periods"),
        groups=_query(con, "dim_groups"), subjects=_query(con, "dim_subjects"), people=_query(con, "dim_people"),
    )


def previous_scope(con: duckdb.DuckDBPyConnection, scope: Scope, access: Access = FULL) -> Scope | None:
    """A period's previous period (same school, kind, grade band); a date range's equally long range
    just before it. None when there is no previous period."""
    con = connection(con, access)
    if scope.period_id is not None:
        rows = _query(con, "previous_period", {"period_id": scope.period_id})
        if rows.is_empty():
            return None
        return dataclasses.replace(scope, period_id=rows.item(0, "id"))
    if scope.date_from is None or scope.date_to is None:
        return None
    length = scope.date_to - scope.date_from + dt.timedelta(days=1)
    return dataclasses.replace(scope, date_from=scope.date_from - length, date_to=scope.date_to - length)


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _figures(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any]) -> dict[str, float | None]:
    values = bind(resolve(con, scope), norms)
    timely = run_resolved(con, "timeliness_summary", values)
    base = _query(con, "lesson_base", values).row(0, named=True)
    topic_missing = run_resolved(con, "topic_missing", values).height
    homework_missing = run_resolved(con, "homework_missing", values).height
    attendance = run_resolved(con, "attendance_summary", values).filter(pl.col("dimension") == "total")
    results = run_resolved(con, "results_summary", values).filter(pl.col("dimension") == "school")
    single_period = results.height == 1
    at_risk = pl.concat([
        run_resolved(con, "na_risk", values).select("student_id"),
        run_resolved(con, "chronic_absentees", values).select("student_id"),
        run_resolved(con, "student_categories", values)
        .filter(pl.col("category").is_in(["failing", "not_attested"])).select("student_id"),
        run_resolved(con, "too_few_marks", values).filter(~pl.col("exempt")).select("student_id"),
    ])
    held, due = base["lessons_held"], base["lessons_homework_due"]
    return {
        "timeliness": _ratio(timely["within_deadline"].sum(), timely["timed"].sum()),
        "topics": _ratio(held - topic_missing, held),
        "homework": _ratio(due - homework_missing, due),
        "attendance": attendance.item(0, "attendance_rate") if attendance.height else None,
        "success": results.item(0, "success_pct") if single_period else None,
        "quality": results.item(0, "quality_pct") if single_period else None,
        "sou": results.item(0, "sou_pct") if single_period else None,
        # no lesson held, nothing checked: not «0 учеников в группе риска» (the previous range of «Свои даты»
        # in September, a previous period the warehouse holds no journal of), which read as a rise from zero
        "at_risk": float(at_risk["student_id"].n_unique()) if held else None,
    }


def _as_shown(value: float | None, unit: str) -> float | None:
    """The figure rounded as the Обзор shows it (etl.rounding), so that its change is the difference of the
    two figures on the tile: attendance 97,0 % against 97,6 % read «-0,5 п.п.» when the change was taken
    from the unrounded shares (0,9703 − 0,9758), and 92,5 % against 92,5 % read «+0,1 п.п.», a rise. The
    results (успеваемость, качество, СОУ) already come rounded, and their change is results_summary's."""
    return None if value is None else half_up(value, SHOWN_DECIMALS[unit])


def _light(value: float | None, unit: str, norms: dict[str, Any]) -> str | None:
    """green / amber / red against [overview] shares; None when there is nothing to judge."""
    if value is None or unit == "count":
        return None
    share = value / 100 if unit == "pct" else value
    if share >= float(norms["overview"]["green_share"]):
        return "green"
    if share >= float(norms["overview"]["amber_share"]):
        return "amber"
    return "red"


def _previous_figures(con: duckdb.DuckDBPyConnection, scope: Scope | None,
                      norms: dict[str, Any]) -> dict[str, float | None]:
    """The figures to compare with; none when the previous period or range holds nothing the scope can
    name. A class is one academic year's: in the first semester (last year's second one loaded) or in
    «Свои даты» from 1 September, the range before lies outside its year, and the Обзор stopped on that
    ScopeError instead of showing the class's figures without a change."""
    if scope is None:
        return {}
    try:
        return _figures(con, scope, norms)
    except ScopeError:
        return {}


def key_figures(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                access: Access = FULL) -> pl.DataFrame:
    """One row per key figure: value, the previous period's value, the change and the traffic light.

    Results (успеваемость, качество, СОУ) need exactly one period: for a date range spanning several
    periods or none they are null rather than a blend of different periods.
    """
    con = connection(con, access)
    norms = norms if norms is not None else load_norms()
    previous = _previous_figures(con, previous_scope(con, scope), norms)
    # The current period last: the connection keeps the shared bases (queries.bases) of the last scope
    # run, and the deck's other pages read the current one, not the previous.
    current = _figures(con, scope, norms)
    rows = []
    for key, area, title, unit in FIGURES:
        value, before = _as_shown(current[key], unit), _as_shown(previous.get(key), unit)
        change = _as_shown(value - before, unit) if value is not None and before is not None else None
        rows.append({"key": key, "area": area, "title": title, "unit": unit, "value": value,
                     "previous": before, "change": change, "light": _light(value, unit, norms),
                     "area_light": AREA_FIGURE.get(area) == key})
    return pl.DataFrame(rows, schema={
        "key": pl.String, "area": pl.String, "title": pl.String, "unit": pl.String, "value": pl.Float64,
        "previous": pl.Float64, "change": pl.Float64, "light": pl.String, "area_light": pl.Boolean})


def coverage(con: duckdb.DuckDBPyConnection, scope: Scope, access: Access = FULL) -> pl.DataFrame:
    """Lessons (timetabled, held, with topic, roll taken) and marks per class and week in scope."""
    con = connection(con, access)
    return _query(con, "coverage", resolve(con, scope).params())


def rejected_rows(con: duckdb.DuckDBPyConnection, limit: int = 5000, access: Access = FULL) -> pl.DataFrame:
    """The loader's rejected rows, newest batch first (the Данные page lists them with their reasons).
    Raw file values may hold any school's personal data: only a full access sees any row."""
    limit = limit if access.is_full and access_of(con).is_full else 0
    rows = _query(con, "rejected_rows", {"limit": limit})
    if "source_place" not in rows.columns:  # loaded before imports kept their places
        rows = rows.with_columns(pl.lit(None, pl.String).alias("source_place"))
    imported = pl.col("source_place").is_not_null()
    return rows.select(  # an import's row: the place in the system's files stands for the file and line
        "batch_id", "table_name",
        pl.when(imported).then(pl.col("source_place")).otherwise(pl.col("file_name")).alias("file_name"),
        pl.when(imported).then(None).otherwise(pl.col("line")).alias("line"),
        "column_name", "value", "reason",
    )


def mark_timeliness_by(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                       access: Access = FULL) -> pl.DataFrame:
    """Mark timeliness shares by subject, class, week and teacher × week (`dimension` says which)."""
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    return _query(con, "mark_timeliness_by", values)


def mark_lag_distribution(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                          lag_cap_days: int = 15, access: Access = FULL) -> pl.DataFrame:
    """Marks per entry lag in days (the last bucket collects lags ≥ `lag_cap_days`, a display choice)."""
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    return _query(con, "mark_lag_distribution", {**values, "lag_cap_days": lag_cap_days})


def attendance_class_day(con: duckdb.DuckDBPyConnection, scope: Scope, access: Access = FULL) -> pl.DataFrame:
    """Attendance rate per class and day, for the class × day heat map."""
    con = connection(con, access)
    return _query(con, "attendance_class_day", resolve(con, scope).params())


@dataclass(frozen=True)
class ScopeLessons:
    """Lessons a scope selects: any (held or not), held, and held in the grades that keep marks
    (`control.min_grade` and up; grade 1 keeps none, but its lessons are checked like any other)."""

    lessons: int
    held: int
    with_marks: int


def scope_lessons(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                  access: Access = FULL) -> ScopeLessons:
    """How many lessons the scope selects, so the deck can tell «no data» from «no violations»."""
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    row = _query(con, "scope_lessons", values).row(0, named=True)
    return ScopeLessons(lessons=row["lessons"], held=row["lessons_held"], with_marks=row["lessons_with_marks"])


# Metrics whose figures stand on period marks (and the Обзор's key figures, `zavuch metrics overview`): before
# a period ends they are those of the marks entered so far, and whoever shows them says so (periods_not_ended).
RESULTS_OF_PERIOD_MARKS = ("results_summary", "student_categories", "summary_sheet", "overview")


def periods_not_ended(con: duckdb.DuckDBPyConnection, scope: Scope, access: Access = FULL) -> pl.DataFrame:
    """The scope's reporting periods that have not ended before its check day (period_id, period_name,
    end_date, as_of — the check day): the deck must say that results on them are not the period's results, as the справка does."""
    con = connection(con, access)
    return _query(con, "periods_not_ended", resolve(con, scope).params())
