"""Forecast features as of a day, from the warehouse through the .sql files of this folder.

A journal entry counts at day D only if it was entered (entered_at, else the loader's first_seen_at)
by the end of D: a forecast at D never sees what was written later.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from queries.norm_params import norm_params
from queries.runner import ensure_setup
from queries.scope import Scope, resolve

SQL_DIR = Path(__file__).parent


@cache
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pl.DataFrame:
    text = sql_text(name)
    used = {k: v for k, v in params.items() if f"${k}" in text}
    try:
        return con.sql(text, params=used).pl()
    except duckdb.CatalogException:
        ensure_setup(con)
        return con.sql(text, params=used).pl()


def day_params(as_of: dt.date) -> dict[str, Any]:
    """The day D and the end of it (entries strictly before the next midnight count)."""
    return {"as_of": as_of, "as_of_end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())}


def scope_params(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: dt.date) -> dict[str, Any]:
    """Scope filters as SQL parameters; a scope without period or dates means the periods around D."""
    probe = scope.period_id is None and scope.date_from is None and scope.date_to is None
    if probe:
        scope = Scope(**{**scope.__dict__, "date_from": as_of, "date_to": as_of})
    params = resolve(con, scope, probe=probe).params()
    params.update(day_params(as_of))
    return params


def periods_at(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> pl.DataFrame:
    """Periods to forecast at D: the scope's named period, else those containing D."""
    return _run(con, "periods_at", params)


def earlier_periods(con: duckdb.DuckDBPyConnection, period_id: str, as_of: dt.date) -> pl.DataFrame:
    """Finished periods like `period_id` whose period marks were in the journal by D."""
    return _run(con, "earlier_periods", {"period_id": period_id, **day_params(as_of)})


def _features(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
              params: dict[str, Any], norms: dict[str, Any]) -> pl.DataFrame:
    values = {**params, **norm_params(norms), **day_params(as_of),
              "period_id": period["period_id"], "date_from": period["start_date"], "date_to": period["end_date"]}
    return _run(con, "features", values)


def period_features(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
                    params: dict[str, Any], norms: dict[str, Any]) -> pl.DataFrame:
    """features.sql for one period at D (`period` is a row of periods_at / earlier_periods): the rows to
    forecast, those of pupils exempt from the subject left out (no period mark is expected of them)."""
    return _features(con, period, as_of, params, norms).filter(~pl.col("exempt"))


def period_exemptions(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
                      params: dict[str, Any], norms: dict[str, Any]) -> pl.DataFrame:
    """The rows of features.sql that `period_features` leaves out: pupils exempt from a subject as far as the
    journal shows at D (`previous_exempt`: «осв» for the previous period and no mark since; or «ОСВ» on all
    `lessons_so_far` lessons held), by the same rule, for the letter to parents to say so."""
    return _features(con, period, as_of, params, norms).filter(pl.col("exempt"))


def school_wide(params: dict[str, Any], school_id: str | None) -> dict[str, Any]:
    """`params` widened to the period's whole school: every class, subject, teacher and grade. The school's
    spread of marks (the rule), the course's marking pace and the model's training rows are the school's,
    not those of a filter or of a class teacher's rows."""
    return {**params, "school_id": school_id, "group_id": None, "subject_id": None, "teacher_id": None,
            "grade_from": 1, "grade_to": 11}


def scope_enrolments(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
                     params: dict[str, Any]) -> pl.DataFrame:
    """scope_enrolments.sql: the (period, group, subject, student) rows of `params` that `con` shows."""
    values = {**params, **day_params(as_of), "period_id": period["period_id"], "date_from": period["start_date"],
              "date_to": period["end_date"]}
    return _run(con, "scope_enrolments", values)


def day_at_share(start: dt.date, end: dt.date, share: float) -> dt.date:
    """The day at `share` of a period (0.5 → its middle), the same relative point in another period."""
    return start + dt.timedelta(days=round(share * ((end - start).days + 1)) - 1)
