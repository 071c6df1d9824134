"""A pupil without a counted mark: the learned model had nothing of his own to go on (his mark inputs imputed,
a typical pupil's) and forecast «4» — on the demo school at 10.03.2026 for 21 of the 24 such rows, among them
a pupil who had missed every one of nine lessons, and pupils whose reasons read «нет отметок (нужно не менее 5
за период)» beside «Прогноз 4, риск менее 1 %». Such a row is now the rule's, whatever the method: «н/а» where
the rule has a ground for it (his own shortfall, or the absences), else no mark at all (None; «—» in the
letter), with the rule's risk."""

from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl
from pypdf import PdfReader

from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries.forecast import student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_pdf

D = dt.date(2026, 3, 10)


def test_no_mark_rows_are_the_rules_and_invent_no_mark(demo_school) -> None:
    con = connect_readonly(demo_school.db)
    try:
        norms = load_norms()
        rows = student_forecasts(con, Scope(school_id="s001"), D, norms)
        none = rows.filter(pl.col("n_marks") == 0)
        assert set(rows["method"]) == {"model"} and none.height == 24
        for r in none.iter_rows(named=True):
            assert r["forecast_mark"] == r["rule_forecast_mark"] and r["forecast_mark"] in ("н/а", None), r
            assert r["risk"] == r["rule_risk"]
            assert r["reasons"].startswith("нет отметок")
        # «н/а» needs a ground the period can no longer change: Воробьёв Степан missed every lesson of five
        # subjects; Сидорова Вероника (10Б, география) has had 8 of 18 lessons without a mark where the course
        # gives fewer than 3 marks in the 10 left. The other pupils short of marks on their own can still make it
        # up (Игнатьева: 17 of 38 lessons of PE held): no mark is forecast, and they are not told «н/а»
        own = none.filter(pl.col("own_few_marks"))
        na = own.filter(pl.col("forecast_mark") == "н/а")
        assert sorted(na["student_name"]) == ["Воробьёв Степан"] * 5 + ["Сидорова Вероника"]
        assert set(na["risk"]) == {1.0}
        open_ = own.filter(pl.col("forecast_mark").is_null())
        assert sorted(open_["student_name"]) == ["Ершов Николай", "Игнатьева Анастасия", "Орлов Максим",
                                                 "Субботина Таисия"]
        assert (open_["risk"] < 0.5).all()
        assert own.filter(pl.col("student_name") == "Игнатьева Анастасия")["reasons"].to_list() == [
            "нет отметок (нужно не менее 5 за период)"]
        # the teacher marks rarely (8В русский язык, 9А география): no pupil's risk, and no mark to forecast
        course = none.filter(pl.col("teacher_pace_short"))
        assert course.height == 14 and course["forecast_mark"].null_count() == 14
        assert (course["risk"] < 0.5).all()
        # the letter: «—» under «Прогноз» for such a subject, the reasons beside it
        pupil = course.filter(pl.col("class_name") == "8В").sort("student_name").row(0, named=True)
        pdf = render_pdf(forecast_letter.build(con, pupil["class_id"], D, norms))
    finally:
        con.close()
    pages = [re.sub(r"\s+", " ", p.extract_text().replace("\u00a0", " ")) for p in PdfReader(io.BytesIO(pdf)).pages]
    page = next(p for p in pages if pupil["student_name"] in p)
    assert f"{pupil['subject_name']} нет — — — " in page
