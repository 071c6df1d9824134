"""Forecast probabilities are exact in queries.forecast and rounded once, where they are shown, by the one
half-up rule (etl.rounding). They were rounded to 0,001 by polars first, so the letter's and the deck's whole
percent was a rounding of a rounding: on the demo school at 10.03.2026 (4Б) a risk of 0,52494 read «53 %»
instead of «52 %», and 17 rows of the school read a percent other than their own."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import polars as pl
from pypdf import PdfReader

from etl.norms import load_norms
from etl.rounding import half_up
from etl.warehouse import connect_readonly
from queries.forecast import features as feat
from queries.forecast import student_forecasts
from queries.forecast.school import PROB_COLUMNS, forecast_period
from queries.scope import Scope
from reports import forecast_letter, render_pdf
from reports.text import probability

D = dt.date(2026, 3, 10)
CLASS = "s001-g023"  # 4Б


def test_probabilities_are_the_models_own_and_the_letter_rounds_them_once(demo_school) -> None:
    con = connect_readonly(demo_school.db)
    try:
        norms = load_norms()
        rows = student_forecasts(con, Scope(group_id=CLASS), D, norms)
        params = feat.scope_params(con, Scope(group_id=CLASS), D)
        period = feat.periods_at(con, params).row(0, named=True)
        f, _, final, _ = forecast_period(con, period, D, params, norms)
        pdf = render_pdf(forecast_letter.build(con, CLASS, D, norms))
    finally:
        con.close()
    keys = ["group_id", "subject_id", "student_id"]
    exact = f.select(keys).with_columns(pl.Series(f"x_{c}", final[:, i]) for i, c in enumerate(PROB_COLUMNS))
    joined = rows.join(exact, on=keys)
    assert joined.height == rows.height > 200
    for c in PROB_COLUMNS:
        assert (joined[c] == joined[f"x_{c}"]).all(), c  # exact, not rounded to 0,001
    assert np.allclose(joined["risk"], joined["x_p_2"] + joined["x_p_na"], rtol=0, atol=1e-12)
    # a risk whose percent a rounding to 0,001 moved: the letter says the percent of the risk itself
    moved = joined.filter(pl.Series([half_up(r, 0, 100) != half_up(round(r, 3), 0, 100) for r in joined["risk"]]))
    assert moved.height >= 1
    pages = [re.sub(r"\s+", " ", p.extract_text().replace("\u00a0", " ")) for p in PdfReader(io.BytesIO(pdf)).pages]
    for r in moved.iter_rows(named=True):
        page = next(p for p in pages if r["student_name"] in p)
        said = probability(r["risk"], 0.5).replace("\u00a0", " ")
        assert f" {r['forecast_mark']} {said} {r['reasons']}" in page, (r["student_name"], said)
    # since a pupil without marks is «н/а» only when the course's pace cannot make up his shortfall (features.sql),
    # the model learns from other labels and Колесникова's 0,52494 is another risk; Филиппова's is such a one now
    filippova = moved.filter(pl.col("student_name") == "Филиппова Анастасия").row(0, named=True)
    assert round(filippova["risk"], 3) == 0.435 and probability(filippova["risk"], 0.5) == "43\u00a0%"
    assert " 3 43 % " in next(p for p in pages if "Филиппова Анастасия" in p)  # not «44 %»
