"""The marks behind a forecast: what the journal held at day D for given students, for the forecast letter
(«текущие отметки») and the deck's timeline of one student. Same visibility rule as the features, so a
subject's rows number exactly its forecast's n_marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from queries.forecast.features import _run, day_params


def marks_so_far(con: duckdb.DuckDBPyConnection, period_id: str, student_ids: Sequence[str], as_of: dt.date,
                 subject_id: str | None = None) -> pl.DataFrame:
    """Grade marks of the period counted at D (student_id, subject_id, lesson_date, value_raw, value_num,
    weight, work_type_name, is_control), in journal order."""
    params = {"period_id": period_id, "students": sorted(set(student_ids)), "subject_id": subject_id,
              **day_params(as_of)}
    return _run(con, "marks_so_far", params)
