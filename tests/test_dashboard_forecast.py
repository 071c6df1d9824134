"""The deck's Прогноз page in AppTest on the demo school: its at-risk figures, class forecasts and one student's
drill-down (tiles and the marks on the timeline) equal queries.forecast for the same filters and day, a class
filter changes them, and the page is registered only for roles that see students (pseudonyms for a
methodologist)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import shutil

import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from access import audit
from access.store import open_store
from dashboard import fmt
from etl.norms import load_norms
from etl.rounding import half_up
from etl.warehouse import connect_readonly
from queries import deck
from queries.forecast import at_risk, class_forecasts, marking_pace, marks_so_far, student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_docx
from reports.text import probability
from tests.access_fixtures import CLASS_5A, real_school, student_surnames  # noqa: F401  (fixture)
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
PERIOD, SCHOOL = "s001-per-s2", "s001"
D = dt.date(2026, 3, 10)


@pytest.fixture(scope="module")
def demo_copy(demo_school, tmp_path_factory):
    """The demo warehouse in a private folder (the deck may keep its access store next to the file)."""
    db = tmp_path_factory.mktemp("deck-forecast") / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    return db


def _expected(db, **filters) -> pl.DataFrame:
    con = connect_readonly(db)
    try:
        return student_forecasts(con, Scope(period_id=PERIOD, school_id=SCHOOL, **filters), D, load_norms())
    finally:
        con.close()


def _forecast_page(db, query: dict[str, str] | None = None) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    os.environ.pop("ZAVUCH_ACCESS_DB", None)
    at = AppTest.from_file(APP, default_timeout=300)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/forecast.py").run()
    at.date_input(key="fc_as_of").set_value(D).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _timeline_marks(at: AppTest) -> list[float]:
    """The y values of the timeline's trace (Plotly sends number arrays as base64 typed arrays)."""
    y = json.loads(at.get("plotly_chart")[-1].proto.spec)["data"][0]["y"]
    values = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]) if isinstance(y, dict) else y
    return [float(v) for v in values]


def test_page_figures_equal_student_forecasts(demo_copy) -> None:
    at = _forecast_page(demo_copy)
    expected = _expected(demo_copy)
    risky = at_risk(expected)
    assert risky.height > 0
    whole = class_forecasts(expected, by=("period_id",)).row(0, named=True)
    tiles = _tiles(at)
    assert tiles["Учеников с риском «2» или «н/а»"] == fmt.number(risky["student_id"].n_unique())
    assert tiles["Предметов под риском"] == fmt.number(risky.height)
    assert tiles["Ожидаемая успеваемость"] == fmt.percent(whole["success_pct"])
    assert tiles["Ожидаемое качество"] == fmt.percent(whole["quality_pct"])

    shown = at.session_state["_downloads"]["forecast_at_risk"]
    con = connect_readonly(demo_copy)
    try:
        people = deck.lookups(con).people
        short = dict(zip(people["id"], people["short_name"], strict=True))
    finally:
        con.close()
    assert shown.height == risky.height
    assert shown["Ученик"].to_list() == [short[s] for s in risky["student_id"]]
    assert shown["Риск «2» или «н/а», %"].to_list() == [half_up(r, 0, 100) for r in risky["risk"]]
    assert shown["Прогноз"].to_list() == risky["forecast_mark"].to_list()
    assert shown["Почему"].to_list() == risky["reasons"].to_list()
    assert shown["Что нужно"].to_list() == risky["needs"].to_list()

    # a course where most pupils are short of marks is the teacher's pace, listed apart (no pupil's risk)
    pace = marking_pace(expected)
    assert pace.height > 0
    assert not risky.filter(pl.col("teacher_pace_short"))["reasons"].str.contains("мало отметок").any()
    listed = at.session_state["_downloads"]["forecast_marking_pace"]
    assert listed["Учитель"].to_list() == [short[t] for t in pace["teacher_id"]]
    assert listed["Из них мало отметок"].to_list() == pace["students_short"].to_list()
    assert listed["Нужно отметок за период"].to_list() == pace["min_marks"].to_list()

    classes = at.session_state["_downloads"]["forecast_classes"]
    by_class = class_forecasts(expected)
    assert classes["Успеваемость, %"].to_list() == by_class["success_pct"].to_list()
    assert classes["Учеников с риском"].to_list() == by_class["students_at_risk"].to_list()

    # drill-down: a student's riskiest subject is opened first (the riskiest rows are pupils without a mark,
    # the rule's «н/а» by their own shortfall: several subjects of one pupil at the same risk)
    first = risky.row(0, named=True)
    at.selectbox(key="fc_student").set_value(first["student_id"]).run()
    opened = expected.filter((pl.col("student_id") == first["student_id"])
                             & (pl.col("subject_id") == at.selectbox(key="fc_subject").value)).row(0, named=True)
    assert opened["risk"] == first["risk"] and _tiles(at)["Прогноз"] == (opened["forecast_mark"] or "нет отметок")
    # the riskiest row with marks: figures and marks as the forecast counted
    top = risky.filter(pl.col("n_marks") > 0).row(0, named=True)
    at.selectbox(key="fc_student").set_value(top["student_id"]).run()
    at.selectbox(key="fc_subject").set_value(top["subject_id"]).run()
    tiles = _tiles(at)
    assert tiles["Прогноз"] == top["forecast_mark"]
    # worded as the parents' letter words it: a forecast is no verdict, so never «100 %»
    assert tiles["Риск «2» или «н/а»"] == ("более 99\u00a0%" if round(top["risk"] * 100) >= 100
                                          else fmt.share(top["risk"], 0))
    assert tiles["Средневзвешенный балл"] == fmt.number(top["weighted_avg"], 2)
    assert tiles["Отметок"] == fmt.number(top["n_marks"])
    con = connect_readonly(demo_copy)
    try:
        marks = marks_so_far(con, PERIOD, [top["student_id"]], D, top["subject_id"])
    finally:
        con.close()
    assert len(marks) == top["n_marks"]
    assert _timeline_marks(at) == marks["value_num"].to_list()


def test_class_filter_narrows_the_forecast(demo_copy) -> None:
    at = _forecast_page(demo_copy, {"class": CLASS_5A})
    expected = _expected(demo_copy, group_id=CLASS_5A)
    risky = at_risk(expected)
    assert expected["student_id"].n_unique() == 29
    assert _tiles(at)["Учеников с риском «2» или «н/а»"] == fmt.number(risky["student_id"].n_unique())
    assert at.session_state["_downloads"].get("forecast_at_risk", pl.DataFrame()).height == risky.height
    assert set(at.session_state["_downloads"]["forecast_classes"]["Класс"]) == {"5А"}
    # another student and subject of the class: the tiles follow the choice
    other = expected.filter(pl.col("n_marks") > 2).sort("student_id", "subject_id").row(0, named=True)
    at.selectbox(key="fc_student").set_value(other["student_id"]).run()
    at.selectbox(key="fc_subject").set_value(other["subject_id"]).run()
    tiles = _tiles(at)
    assert tiles["Средневзвешенный балл"] == fmt.number(other["weighted_avg"], 2)
    assert tiles["Прогноз"] == other["forecast_mark"]
    assert len(_timeline_marks(at)) == other["n_marks"]


def test_page_per_role_and_pseudonyms(real_school) -> None:  # noqa: F811
    from tests.test_access_deck import login, open_deck, registered

    at = login(open_deck(real_school.db), "it_admin")
    assert not registered(at, "forecast")
    at = login(open_deck(real_school.db), "methodologist")
    at.switch_page("views/forecast.py").run()
    at.date_input(key="fc_as_of").set_value(D).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.session_state["_downloads"]["forecast_at_risk"]
    assert shown.height > 0 and all(s.startswith("Ученик ") for s in shown["Ученик"])
    blob = "\n".join([*[str(o) for s in at.selectbox for o in s.options],
                      *[e.value for e in (*at.markdown, *at.caption, *at.title, *at.subheader)],
                      at.get("plotly_chart")[-1].proto.spec, *shown["Ученик"]])
    assert not [s for s in student_surnames(real_school.db) if re.search(rf"\b{re.escape(s)}\b", blob)]


def test_the_school_year_opens_on_the_last_semester_day(demo_copy) -> None:
    """The year (01.09–31.05) defaulted to 31.05, a day in no semester, and the page opened on «нет семестра»;
    it now opens on the 2nd semester's last day (29.05.2026), forecasting the year's grades 2–9 only."""
    os.environ["ZAVUCH_DB"] = str(demo_copy)
    os.environ.pop("ZAVUCH_ACCESS_DB", None)
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["school"], at.query_params["period"] = SCHOOL, "s001-per-y29"
    at.run()
    at.switch_page("views/forecast.py").run()
    assert not at.exception, [e.value for e in at.exception]
    last = dt.date(2026, 5, 29)
    assert at.date_input(key="fc_as_of").value == last
    con = connect_readonly(demo_copy)
    try:
        day = student_forecasts(con, Scope(school_id=SCHOOL), last, load_norms())
    finally:
        con.close()
    assert set(day["period_id"]) == {"s001-per-s2", "s001-per-h2"}  # both bands run on that day
    grades_2_9 = day.filter(pl.col("grade") <= 9)  # the year chosen is that of grades 2–9
    assert not [i.value for i in at.info if "нет семестра" in i.value]
    tiles = _tiles(at)
    assert tiles["Предметов под риском"] == fmt.number(at_risk(grades_2_9).height)
    assert tiles["Ожидаемая успеваемость"] == fmt.percent(class_forecasts(grades_2_9, by=("period_id",))["success_pct"][0])


def test_the_class_teacher_sees_the_forecast_the_letter_sends(real_school) -> None:  # noqa: F811
    """Before: the class teacher's page computed the forecast on a connection showing 5А alone, so its model
    learned from 5А's first semester only and gave other marks and risks than the letter to the parents (the
    school's forecast): at 10.03.2026, 35 of 5А's 319 rows, and the at-risk list named another pupil. The page
    now shows the school's forecast, narrowed to the class: its class table, at-risk list and drill-down are
    the letter's figures."""
    from tests.test_access_deck import login, open_deck

    at = login(open_deck(real_school.db), "class_teacher")
    at.switch_page("views/forecast.py").run()
    at.date_input(key="fc_as_of").set_value(D).run()
    assert not at.exception, [e.value for e in at.exception]
    con = connect_readonly(real_school.db)
    try:
        letter = student_forecasts(con, Scope(group_id=CLASS_5A), D, load_norms())  # the letter's rows
        short = dict(deck.lookups(con).people.select("id", "short_name").iter_rows())
    finally:
        con.close()
    assert set(letter["class_id"]) == {CLASS_5A} and letter.height > 300
    whole = class_forecasts(letter).row(0, named=True)
    shown = at.session_state["_downloads"]["forecast_classes"].row(0, named=True)
    assert (shown["Успеваемость, %"], shown["Ожидается «2» и «н/а»"]) == (whole["success_pct"], whole["expected_at_risk"])
    assert shown["Успеваемость по вероятным отметкам, %"] == whole["success_pct_likely"]
    risky = at_risk(letter)
    listed = at.session_state["_downloads"].get("forecast_at_risk", pl.DataFrame(schema={"Ученик": pl.String,
                                                                                       "Прогноз": pl.String}))
    assert listed["Ученик"].to_list() == [short[s] for s in risky["student_id"]]
    assert listed["Прогноз"].to_list() == risky["forecast_mark"].to_list()
    # the drill-down of the pupil and subject with the highest risk in the letter
    top = letter.sort("risk", "student_id", "subject_id", descending=[True, False, False]).row(0, named=True)
    at.selectbox(key="fc_student").set_value(top["student_id"]).run()
    at.selectbox(key="fc_subject").set_value(top["subject_id"]).run()
    tiles = _tiles(at)
    assert (tiles["Прогноз"], tiles["Риск «2» или «н/а»"]) == (top["forecast_mark"], probability(top["risk"], 0.5))


def test_the_class_teacher_downloads_the_letter_to_the_parents(real_school) -> None:  # noqa: F811
    """Before: the letter was only `zavuch pismo`, run by the administrator; the class teacher, who informs the
    parents (regulation 2.14), had no way to it in the deck. The Прогноз page now offers it for a class of the
    page, byte for byte the administrator's letter for the same day, and taking it is audited."""
    from tests.test_access_deck import login, open_deck

    at = login(open_deck(real_school.db), "class_teacher")
    at.switch_page("views/forecast.py").run()
    at.date_input(key="fc_as_of").set_value(D).run()
    assert at.selectbox(key="fc_letter_class").options == ["— выберите класс —", "5А"]
    at.selectbox(key="fc_letter_class").set_value(CLASS_5A).run()
    at.radio(key="fc_letter_format").set_value("docx").run()
    assert not at.exception, [e.value for e in at.exception]
    con = connect_readonly(real_school.db)
    try:
        expected = render_docx(forecast_letter.build(con, CLASS_5A, D, load_norms()))
    finally:
        con.close()
    assert at.session_state["_documents"]["fc_letter"] == expected
    at.download_button(key="fc_letter").click().run()
    with open_store(real_school.store) as store:
        taken = audit.entries(store).filter((pl.col("action") == "document") & (pl.col("login") == "class_teacher"))
    assert json.loads(taken["detail"][0])["file"] == f"pismo-{CLASS_5A}-{D.isoformat()}.docx"
