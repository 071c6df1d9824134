"""The figures of the documents (справка, приказ, сводные ведомости, weekly printouts for parents).

Documents only format: every count, share and list they print is computed here, from the catalogue
metrics (queries.run) plus a few totals no catalogue metric gives (SQL files next to this module, run
with the same scope and norm parameters). A справка runs each metric it needs exactly once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl.norms import load_norms
from queries.access import FULL, Access, connection
from queries.invalid_entries import METRIC as INVALID_ENTRIES, InvalidEntries, invalid_entries_summary, summarise
from queries.norm_params import norm_params
from queries.runner import bind, execute_sql, run_resolved
from queries.scope import ResolvedScope, Scope, resolve

SQL_DIR = Path(__file__).parent

# Finding metrics of the справка, with the condition that makes a row a case (None: every row is one).
FINDING_CASES: dict[str, pl.Expr | None] = {
    "topic_missing": None, "homework_missing": None, "attendance_unmarked": None,
    "substitution_unrecorded": None, "topic_plan_mismatch": None,
    "topic_late": None, "homework_late": None, "attendance_late": None, "mark_late": None,
    "mark_spree": None, "mark_entered_before_lesson": None, "entry_after_compromise": None,
    "lesson_marks_density": pl.col("below_norm"), "student_marks_density": pl.col("below_norm"),
    "too_few_marks": None, "control_work_incomplete": None,
    "assessment_too_frequent": None, "assessment_share_high": None, "assessment_day_edge": None,
    "period_mark_mismatch": None, "period_mark_basis_changed": None, "two_after_absence": None, "two_not_corrected": None, "two_in_a_row": None,
    "period_mark_missing": None, "period_mark_late": None, "na_risk": None,
    "programme_delivery": pl.col("lag_lessons") > 0,
    "mark_on_absence_no_comment": None,
}
# Measures the narratives quote.
MEASURES: tuple[str, ...] = ("teacher_workload", "results_summary", "assessment_schedule")
DOCUMENT_SQL: tuple[str, ...] = ("journal_coverage", "timeliness_overview", "periods_in_scope", "entries_after_check",
                                 "journal_state", "classes_checked")


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _run_sql(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any]) -> pl.DataFrame:
    """One SQL file of this folder with the parameters it names (like runner.run_resolved); the shared
    bases it reads are built first, or reused when the справка's metrics already built them."""
    text = _sql(name)
    return execute_sql(con, text, {k: v for k, v in values.items() if f"${k}" in text}, values)


@dataclass(frozen=True)
class Directory:
    """Names of a school's people, groups, subjects and periods, for turning ids into text."""

    school: pl.DataFrame  # one row per period (school columns repeated)
    people: pl.DataFrame
    groups: pl.DataFrame
    subjects: pl.DataFrame


def directory(con: duckdb.DuckDBPyConnection, school_id: str, access: Access = FULL) -> Directory:
    """A pseudonymised access (queries.access) gets students' pseudonyms instead of their names."""
    con = connection(con, access)
    values = {"school_id": school_id}
    return Directory(*(_run_sql(con, f"directory_{n}", values) for n in ("school", "people", "groups", "subjects")))


def last_load(con: duckdb.DuckDBPyConnection, school_id: str) -> dt.datetime | None:
    """When the school's journal was last loaded (None: nothing loaded): the documents read the journal as it
    was then, not as it stood on their date, and a signed one says so."""
    return _run_sql(con, "last_load", {"school_id": school_id})["last_loaded_at"][0]


@dataclass(frozen=True)
class Findings:
    """Everything a справка or приказ states, for one scope."""

    scope: ResolvedScope
    cases: dict[str, pl.DataFrame]  # finding metric → its rows that are cases
    measures: dict[str, pl.DataFrame]  # MEASURES and DOCUMENT_SQL by name
    by_course: pl.DataFrame  # finding × teacher × group × subject: cases, dates (sorted, one per case)
    by_teacher: pl.DataFrame  # finding × teacher: cases

    @property
    def invalid(self) -> InvalidEntries:
        """Entries invalid under regulation 4.4 in the scope: every other figure here leaves them out."""
        return summarise(self.cases[INVALID_ENTRIES])

    def count(self, name: str) -> int:
        """Number of cases of one finding in scope."""
        return self.cases[name].height

    def students(self, name: str) -> int:
        """Distinct students among the cases of a finding whose case is a student in a subject (na_risk,
        too_few_marks, …): one pupil missing half of 12 subjects is 12 cases but 1 student."""
        return self.cases[name]["student_id"].n_unique()

    def teachers_with(self, names: tuple[str, ...]) -> list[str]:
        """Teachers with at least one case of these findings, in id order."""
        return sorted(self.by_teacher.filter(pl.col("finding").is_in(names))["teacher_id"].unique().to_list())

    def teachers_without(self, names: tuple[str, ...]) -> list[str]:
        """Teachers who held lessons in scope and have no case of these findings."""
        checked = self.measures["teacher_workload"].filter(pl.col("lessons_held") > 0)["teacher_id"].to_list()
        bad = set(self.teachers_with(names))
        return sorted(t for t in checked if t not in bad)

    def teacher_cases(self, teacher_id: str) -> dict[str, int]:
        """Cases per finding of one teacher."""
        rows = self.by_teacher.filter(pl.col("teacher_id") == teacher_id)
        return dict(zip(rows["finding"].to_list(), rows["cases"].to_list(), strict=True))


def _group_cases(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    keys = [k for k in ("teacher_id", "group_id", "subject_id") if k in frame.columns]
    if "group_id" not in frame.columns and "class_id" in frame.columns:
        keys.insert(1, "class_id")
    date_col = "event_date" if "event_date" in frame.columns else None
    aggs = [pl.len().alias("cases")]
    if date_col:
        aggs.append(pl.col(date_col).sort().alias("dates"))  # one per case: two on one day are two
    else:
        aggs.append(pl.lit([], dtype=pl.List(pl.Date)).alias("dates"))
    out = frame.group_by(keys).agg(aggs)
    if "class_id" in keys:
        out = out.rename({"class_id": "group_id"})
    for k in ("group_id", "subject_id"):
        if k not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.String).alias(k))
    return out.select(pl.lit(name).alias("finding"), "teacher_id", "group_id", "subject_id", "cases",
                      pl.col("dates").cast(pl.List(pl.Date)))


def findings(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
             access: Access = FULL) -> Findings:
    """Run every finding and measure of the справка once over one resolved scope."""
    con = connection(con, access)
    resolved = resolve(con, scope)
    values = bind(resolved, norms if norms is not None else load_norms())
    cases: dict[str, pl.DataFrame] = {}
    for name, condition in FINDING_CASES.items():
        frame = run_resolved(con, name, values)
        cases[name] = frame if condition is None else frame.filter(condition)
    measures = {name: run_resolved(con, name, values) for name in MEASURES}
    measures.update({name: _run_sql(con, name, values) for name in DOCUMENT_SQL})
    by_course = pl.concat([_group_cases(n, f) for n, f in cases.items()], how="vertical")
    by_course = by_course.sort("finding", "teacher_id", "group_id", "subject_id", nulls_last=True)
    by_teacher = by_course.group_by("finding", "teacher_id").agg(pl.col("cases").sum()).sort("finding", "teacher_id")
    return Findings(resolved, cases, measures, by_course, by_teacher)


@dataclass(frozen=True)
class ClassSheets:
    """Сводные ведомости of one period or one academic year: the marks grid and each class's results."""

    marks: pl.DataFrame  # class_id, student_id, subject_id, mark (text as written)
    results: pl.DataFrame  # class_id, n, n5 … n_na, n_exempt, success_pct, quality_pct, sou_pct, avg_mark
    invalid: InvalidEntries  # entries of the sheets' scope invalid under 4.4 (left out of the marks above)
    # the last day of the period (year) when it has not ended before the sheets' date: the marks above are
    # those entered so far, not the period's results (periods_in_scope.sql's rule); None once it has ended
    runs_to: dt.date | None = None


def period_sheets(con: duckdb.DuckDBPyConnection, period_id: str, *, group_id: str | None = None,
                  as_of: dt.date | None = None, norms: dict[str, Any] | None = None,
                  access: Access = FULL) -> ClassSheets:
    """Period marks of every class of the period's grade band (summary_sheet, results_summary by class)."""
    con = connection(con, access)
    scope = Scope(period_id=period_id, group_id=group_id, as_of=as_of)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    sheet = run_resolved(con, "summary_sheet", values)
    results = run_resolved(con, "results_summary", values).filter(pl.col("dimension") == "class")
    marks = sheet.select("class_id", "student_id", "subject_id", pl.col("period_mark").alias("mark"))
    results = results.select(pl.col("key").alias("class_id"), "n", "n5", "n4", "n3", "n2", "n_na", "n_exempt",
                             "success_pct", "quality_pct", "sou_pct", pl.col("avg_period_mark").alias("avg_mark"))
    running = _run_sql(con, "periods_in_scope", values).filter(~pl.col("ended"))
    return ClassSheets(marks, results, summarise(run_resolved(con, INVALID_ENTRIES, values)),
                       running["end_date"].max() if running.height else None)


def year_sheets(con: duckdb.DuckDBPyConnection, academic_year_id: str, *, group_id: str | None = None,
                as_of: dt.date | None = None, norms: dict[str, Any] | None = None,
                access: Access = FULL) -> ClassSheets:
    """Year marks of every class of an academic year, and each class's results on them."""
    con = connection(con, access)
    values = {**norm_params(norms if norms is not None else load_norms()),
              "academic_year_id": academic_year_id, "group_id": group_id, "as_of": as_of or dt.date.today()}
    marks = _run_sql(con, "year_sheet", values).rename({"year_mark": "mark"})
    school_id, start, end = _run_sql(con, "year_dates", values).row(0)
    year = Scope(date_from=start, date_to=end, school_id=school_id, group_id=group_id, as_of=values["as_of"])
    return ClassSheets(marks, _run_sql(con, "year_results", values), invalid_entries_summary(con, year, norms),
                       end if end >= values["as_of"] else None)


@dataclass(frozen=True)
class ClassWeek:
    """One class's week for the parents' printouts: students, marks, absences, homework."""

    students: list[str]
    marks: pl.DataFrame
    absences: pl.DataFrame
    homework: pl.DataFrame
    invalid: InvalidEntries  # entries of the class's week invalid under 4.4 (left out of the lists above)


def class_week(con: duckdb.DuckDBPyConnection, group_id: str, date_from: dt.date, date_to: dt.date,
               access: Access = FULL) -> ClassWeek:
    con = connection(con, access)
    values = {"group_id": group_id, "date_from": date_from, "date_to": date_to}
    roster = _run_sql(con, "week_roster", values)["student_id"].to_list()
    invalid = invalid_entries_summary(con, Scope(date_from=date_from, date_to=date_to, group_id=group_id))
    return ClassWeek(roster, *(_run_sql(con, f"week_{n}", values) for n in ("marks", "absences", "homework")),
                     invalid)
