"""Cached forecast queries for the deck's Прогноз page, inside the user's access (queries.access), per
warehouse version: the forecasts of the filtered students at a day, and one student's marks behind them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

import queries
from dashboard import data
from etl.norms import load_norms
from queries.access import FULL, Access, guard
from queries.forecast import class_forecasts, marking_pace, marks_so_far, student_forecasts
from reports import forecast_letter, render_docx, render_pdf


@st.cache_data(max_entries=32, show_spinner="Считаю прогноз…")
def forecasts(ver: data.Version, scope: queries.Scope, as_of: dt.date, access: Access = FULL) -> pl.DataFrame:
    """queries.forecast.student_forecasts for `scope` at D: the school's forecast, rows limited to `access`."""
    with data.connected_school(ver, access) as con:
        return student_forecasts(con, scope, as_of, load_norms(), access=access)


@st.cache_data(max_entries=128, show_spinner=False)
def student_marks(ver: data.Version, period_id: str, student_id: str, subject_id: str, as_of: dt.date,
                  access: Access = FULL) -> pl.DataFrame:
    """The marks one forecast counted (queries.forecast.marks_so_far), for the drill-down timeline: with the
    school's forecast, those a pupil got in another class before joining this one too."""
    with data.connected_school(ver, access) as con:
        return marks_so_far(con, period_id, [student_id], as_of, subject_id, access=access)


@st.cache_data(max_entries=16, show_spinner="Составляю письмо родителям…")
def letter(ver: data.Version, class_id: str, as_of: dt.date, fmt: str, access: Access = FULL) -> bytes | None:
    """The forecast letter to the parents of `class_id` at D (reports.forecast_letter), as `zavuch pismo` writes
    it, on behalf of `access`; None when no semester or half-year of the class runs that day."""
    with data.connected_school(ver, access) as con:
        doc = forecast_letter.build(con, class_id, as_of, load_norms(), access=access)
    if not doc.blocks:
        return None
    return render_pdf(doc) if fmt == "pdf" else render_docx(doc)


def classes(ver: data.Version, rows: pl.DataFrame, access: Access = FULL) -> pl.DataFrame:
    """Class forecasts (queries.forecast.class_forecasts) of the page's rows, through the access guard: for
    a methodologist a class of fewer than access.min_group_size students is suppressed like every other
    breakdown (with enough others that the school's forecast cannot give it back)."""
    with data.connected(ver, access) as con:
        return guard(class_forecasts(rows), con)


def pace(ver: data.Version, rows: pl.DataFrame, access: Access = FULL) -> pl.DataFrame:
    """Courses marked too rarely (queries.forecast.marking_pace) of the page's rows, through the access guard:
    a group of fewer than access.min_group_size students (a small subgroup) is suppressed for a methodologist,
    since its «из них мало отметок» counts children."""
    with data.connected(ver, access) as con:
        return guard(marking_pace(rows), con)
