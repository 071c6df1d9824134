"""The marks behind a forecast: what the journal held at day D for given students, for the forecast letter
(«текущие отметки») and the deck's timeline of one student. Same visibility rule as the features, so a
subject's rows number exactly its forecast's n_marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from queries.access import FULL, Access, connection
from queries.forecast.features import _run, day_params, periods_at, school_wide, scope_enrolments


def marks_so_far(con: duckdb.DuckDBPyConnection, period_id: str, student_ids: Sequence[str], as_of: dt.date,
                 subject_id: str | None = None, access: Access = FULL) -> pl.DataFrame:
    """Grade marks of the period counted at D (student_id, subject_id, lesson_date, value_raw, value_num,
    weight, work_type_name, is_control), in journal order. With `access` (and the unrestricted `con`, as for
    `student_forecasts`): only the access's pupils in the subjects it shows them, but all their marks the
    forecast counted — those of a pupil who joined the class mid-period from another class included, which
    the class teacher's own view of the journal does not hold."""
    params = {"period_id": period_id, "students": sorted(set(student_ids)), "subject_id": subject_id,
              **day_params(as_of)}
    marks = _run(con, "marks_so_far", params)
    view = connection(con, access)
    if view is con or marks.is_empty():
        return marks
    period = periods_at(view, school_wide({"period_id": period_id, "as_of": as_of}, None))
    if period.is_empty():
        return marks.clear()
    p = period.row(0, named=True)
    own = scope_enrolments(view, p, as_of, school_wide({}, p["school_id"])).select("student_id", "subject_id")
    return marks.join(own.unique(), on=["student_id", "subject_id"], how="semi", maintain_order="left")
