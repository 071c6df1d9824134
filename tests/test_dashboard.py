"""The deck in AppTest: every page renders, its figures equal those of `queries` for the same filters,
filters change them, downloads carry the shown rows, the URL reproduces a view, a new warehouse file is
picked up without a restart, and uploads go through the loader."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard import data, fmt, ui
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries import deck
from queries.registry import norm_words
from tests.dashboard_fixtures import APP, PERIOD, SCHOOL, clean_streamlit_caches, demo_db  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import school

pytestmark = pytest.mark.slow
PAGES = ["overview", "timeliness", "homework", "attendance", "teachers", "results", "warehouse"]
SCOPE = queries.Scope(period_id=PERIOD, school_id=SCHOOL)


@pytest.fixture
def con(demo_db):  # noqa: F811
    c = connect_readonly(demo_db)
    yield c
    c.close()


def deck_at(db, page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame(at: AppTest, key: str) -> pl.DataFrame:
    return at.session_state["_downloads"][key]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_title(demo_db, page):  # noqa: F811
    at = deck_at(demo_db, page)
    assert at.title, f"{page}: no title"
    assert not at.error, [e.value for e in at.error]


def test_overview_key_figures_equal_queries(demo_db, con):  # noqa: F811
    at = deck_at(demo_db)
    t = tiles(at)
    total = queries.run(con, "attendance_summary", SCOPE).filter(pl.col("dimension") == "total")
    school = queries.run(con, "results_summary", SCOPE).filter(pl.col("dimension") == "school").row(0, named=True)
    timely = queries.run(con, "timeliness_summary", SCOPE)
    assert t["Посещаемость"] == fmt.share(total.item(0, "attendance_rate"))
    assert t["Успеваемость"] == fmt.percent(school["success_pct"])
    assert t["Качество знаний"] == fmt.percent(school["quality_pct"])
    assert t["СОУ"] == fmt.percent(school["sou_pct"])
    assert t["Записи внесены в срок"] == fmt.share(timely["within_deadline"].sum() / timely["timed"].sum())
    kf = deck.key_figures(con, SCOPE, load_norms())
    assert t["Учеников в группе риска"] == fmt.number(kf.filter(pl.col("key") == "at_risk").item(0, "value"))
    # the change against 1 семестр, from results_summary's own comparison
    quality = next(m for m in at.metric if m.label == "Качество знаний")
    assert quality.delta == f"-{fmt.number(abs(school['quality_change']), 1)}\u00a0п.\u00a0п."
    # the largest problem is named with its count from period_summary
    top = queries.period_summary(con, SCOPE).sort("findings", descending=True).row(0, named=True)
    assert any(top["title"] in m.value and fmt.number(top["findings"]) in m.value for m in at.markdown)


def test_a_change_that_rounds_to_zero_is_no_rise(demo_db, con):  # noqa: F811
    """5А's «Записи внесены в срок» moved by less than 0,05 п.п. and showed «+0,0 п. п.» as a green rise."""
    scope = dataclasses.replace(SCOPE, group_id="s001-g029")
    kf = deck.key_figures(con, scope, load_norms())
    points = pl.when(pl.col("unit") == "share").then(100 * pl.col("change")).otherwise(pl.col("change"))
    flat = kf.filter(pl.col("unit").is_in(["share", "pct"]) & (points.abs() < 0.05))
    assert flat.height > 0
    at = deck_at(demo_db, query={"school": SCHOOL, "period": PERIOD, "class": "s001-g029"})
    shown = {m.label: m for m in at.metric}
    for title in flat["title"]:
        assert shown[title].delta == "0,0\u00a0п.\u00a0п."
        assert shown[title].proto.color == shown[title].proto.MetricColor.GRAY
        assert shown[title].proto.direction == shown[title].proto.MetricDirection.NONE
    rising = kf.filter(pl.col("unit").is_in(["share", "pct"]) & pl.col("title").is_in(flat["title"].to_list()).not_()
                       & pl.col("change").is_not_null()).row(0, named=True)
    assert shown[rising["title"]].proto.direction != shown[rising["title"]].proto.MetricDirection.NONE


def test_class_filter_changes_figures(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "attendance")
    before = tiles(at)["Посещаемость"]
    group = con.execute("SELECT id FROM groups WHERE name = '7Б'").fetchall()[0][0]
    at.selectbox(key="f_class").set_value(group).run()
    assert not at.exception
    scoped = dataclasses.replace(SCOPE, group_id=group)
    total = queries.run(con, "attendance_summary", scoped).filter(pl.col("dimension") == "total")
    assert tiles(at)["Посещаемость"] == fmt.share(total.item(0, "attendance_rate"))
    assert tiles(at)["Посещаемость"] != before
    assert at.query_params["class"] == group


def test_url_reproduces_the_view(demo_db, con):  # noqa: F811
    group = con.execute("SELECT id FROM groups WHERE name = '7Б'").fetchall()[0][0]
    at = deck_at(demo_db, query={"school": SCHOOL, "period": PERIOD, "class": group})
    assert at.selectbox(key="f_class").value == group
    kf = deck.key_figures(con, dataclasses.replace(SCOPE, group_id=group), load_norms())
    assert tiles(at)["Посещаемость"] == fmt.share(kf.filter(pl.col("key") == "attendance").item(0, "value"))


def test_a_link_with_an_unknown_period_opens_the_default_one(demo_db):  # noqa: F811
    """A hand-edited or stale link (?period=…) fell back to the year's first option (1 семестр), not to the
    period the deck opens on (the latest ended semester)."""
    at = deck_at(demo_db, query={"school": SCHOOL, "period": "s001-per-nonexistent"})
    assert at.session_state["f_period"] == PERIOD
    assert at.query_params["period"] == PERIOD


def test_empty_cells_read_as_a_dash_not_none(demo_db, con):  # noqa: F811
    """A quarantine row of «Вспышки заболеваемости» has no head count: the table printed the English «None»."""
    spikes = queries.run(con, "illness_spikes", SCOPE)
    assert spikes["students"].null_count() > 0
    at = deck_at(demo_db, "attendance")
    assert frame(at, "illness_spikes")["Учеников"].null_count() == spikes["students"].null_count()
    table = next(d for d in at.dataframe if "Карантин" in d.value.columns)  # the spikes table
    assert table.value["Учеников"].isna().sum() == spikes["students"].null_count()
    assert table.proto.placeholder == fmt.NO_VALUE == "—"


def test_downloads_carry_the_shown_rows(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "homework")
    expected = queries.run(con, "homework_missing", SCOPE)
    data = frame(at, "homework_missing")
    assert data.height == expected.height > 0
    csv = pl.read_csv(io.BytesIO(fmt.to_csv(data)), separator=";", infer_schema=False)
    xlsx = pl.read_excel(io.BytesIO(fmt.to_xlsx(data, "ДЗ")))
    screen = next(d.value for d in at.dataframe if len(d.value) == expected.height and "Урок (код)" in d.value)
    assert csv["Урок (код)"].to_list() == screen["Урок (код)"].tolist() == expected["lesson_id"].to_list()
    assert xlsx["Урок (код)"].to_list() == expected["lesson_id"].to_list()
    assert csv["Дата"].to_list() == screen["Дата"].tolist()


def test_timeliness_table_equals_queries(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "timeliness")
    expected = queries.run(con, "timeliness_summary", SCOPE)
    got = frame(at, "timeliness_by_teacher")
    assert got["Доля в срок"].to_list() == expected["share_within_deadline"].to_list()
    late = frame(at, "mark_late")
    assert late.height == queries.run(con, "mark_late", SCOPE).height


def test_lag_chart_keeps_the_open_ended_bucket(demo_db, con):  # noqa: F811
    """The last bucket of the entry-lag chart («15+» days: the marks entered weeks late) was dropped by Plotly's
    numeric axis: the chart showed 0–14 only."""
    lags = deck.mark_lag_distribution(con, SCOPE, load_norms())
    last = lags.row(-1, named=True)
    assert last["marks"] > 0
    at = deck_at(demo_db, "timeliness")
    spec = json.loads(next(c for c in at.get("plotly_chart") if "tl_lags" in c.proto.id).proto.spec)
    assert spec["layout"]["xaxis"]["type"] == "category"
    bars = spec["data"][0]
    assert bars["x"][-1] == f"{last['lag_days']}+" and len(bars["x"]) == lags.height


def test_teacher_drill_down_lists_the_lessons(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "teachers")
    card = queries.teacher_scorecard(con, SCOPE)
    assert frame(at, "scorecard").height == card.height
    # every column under a Russian header: the findings were headed by their codes («topic_missing»)
    titles = {m.name: m.title for m in queries.catalog(load_norms())}
    shown = frame(at, "scorecard")
    assert not [c for c in shown.columns if c.isascii()]
    assert shown[titles["homework_missing"]].to_list() == card["homework_missing"].to_list()
    teacher = card.sort("homework_missing", descending=True).item(0, "teacher_id")
    at.selectbox(key="drill_teacher").set_value(teacher).run()
    at.selectbox(key="drill_metric").set_value("homework_missing").run()
    assert not at.exception
    lessons = queries.run(con, "homework_missing", dataclasses.replace(SCOPE, teacher_id=teacher))
    detail = frame(at, "drill_homework_missing")
    assert detail["Урок (код)"].to_list() == lessons["lesson_id"].to_list()
    assert detail.height == card.filter(pl.col("teacher_id") == teacher).item(0, "homework_missing") > 0


def test_teachers_page_shows_the_assessment_schedule(demo_db, con):  # noqa: F811
    """The schedule of assessment procedures and its breaches (domain-notes §2) on the Учителя page: the rows
    of the query layer, with Russian headers and values."""
    at = deck_at(demo_db, "teachers")
    schedule = queries.run(con, "assessment_schedule", SCOPE)
    shown = frame(at, "assessment_schedule")
    assert shown.height == schedule.height > 0
    assert shown["Урок (код)"].to_list() == schedule["lesson_id"].to_list()
    assert set(shown["Место в дне"].drop_nulls()) <= {"первый урок дня", "последний урок дня", "единственные уроки дня"}
    for name in ("assessment_share_high", "assessment_day_edge"):
        assert frame(at, name).height == queries.run(con, name, SCOPE).height > 0
    share = frame(at, "assessment_share_high")
    assert {"Уроков заняли процедуры", "Проведено уроков", "Доля уроков на процедуры"} <= set(share.columns)
    assert not [c for c in shown.columns if c.isascii()]


def test_results_lists_and_objectivity(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "results")
    cats = queries.run(con, "student_categories", SCOPE)
    assert frame(at, "students_failing").height == cats.filter(pl.col("category") == "failing").height > 0
    by_class = queries.run(con, "results_summary", SCOPE).filter(pl.col("dimension") == "class")
    assert frame(at, "results_class")["Качество, %"].to_list() == by_class["quality_pct"].to_list()


def test_results_by_level_name_the_levels(demo_db, con):  # noqa: F811
    """The level cut showed the codes «1-4», «5-9» on the chart and in the table."""
    at = deck_at(demo_db, "results")
    at.radio(key="res_dim").set_value("level").run()
    by_level = queries.run(con, "results_summary", SCOPE).filter(pl.col("dimension") == "level")
    shown = frame(at, "results_level")
    assert by_level["key"].to_list() == ["1-4", "5-9"]
    assert shown["Срез"].to_list() == ["1–4 классы", "5–9 классы"]
    assert shown["Качество, %"].to_list() == by_level["quality_pct"].to_list()


def test_data_page_status_and_refused_upload(demo_db, con):  # noqa: F811
    at = deck_at(demo_db, "warehouse")
    status = frame(at, "row_counts")
    assert status["Строк"].to_list() == queries.status.warehouse_status(con).row_counts["rows"].to_list()
    before = os.stat(demo_db).st_mtime_ns
    at.get("file_uploader")[0].upload("bundle.zip", b"not a zip at all", "application/zip")
    at.button[0].click().run()
    assert any("Пакет не загружен" in e.value for e in at.error)
    assert os.stat(demo_db).st_mtime_ns == before


def test_new_warehouse_file_is_shown_without_restart(demo_db, tmp_path):  # noqa: F811
    db = tmp_path / "wh.duckdb"
    small = school(str(db))
    small.con.close()
    at = deck_at(db)
    assert at.selectbox(key="f_school").format_func(at.selectbox(key="f_school").value) == "Гимназия «Исток»"
    shutil.copy(demo_db, tmp_path / "new.duckdb")
    os.replace(tmp_path / "new.duckdb", db)  # what the loader's atomic publish does
    at.run()
    assert not at.exception
    assert at.selectbox(key="f_school").value == SCHOOL


def test_timeliness_page_states_the_schools_own_deadlines(demo_db, tmp_path, monkeypatch):  # noqa: F811
    """The page worded the deadlines its own way («контрольные — до 5 дн. после урока») while the справка and
    the description of «Отметки позже срока» say them through queries.registry.norm_words: one wording now."""
    norms = tmp_path / "norms.toml"
    norms.write_text("[deadlines]\ncontrol_work_days = 5\ntopic_days = 1\nby_work_type = []\n", encoding="utf-8")
    monkeypatch.setenv("ZAVUCH_NORMS", str(norms))
    at = deck_at(demo_db, "timeliness")
    lead = " ".join(m.value for m in at.markdown)
    words = norm_words(load_norms())
    assert words["deadlines"] == "обычные работы — 1\u00a0день, контрольные — 5\u00a0дней"
    assert words["entry_deadlines"] == "темы — 1\u00a0день, посещаемость — в день урока, ДЗ — в день урока"
    assert f"Сроки по нормам школы: отметки — {words['deadlines']}; {words['entry_deadlines']} (" in lead
    assert words["deadlines"] in data.metric_infos()["mark_late"].description
    assert "Сочинение" not in lead and "сочинение" not in lead and "дн." not in lead


def _screen(at: AppTest, key: str) -> pl.DataFrame:
    """The rows a table sent to the browser (its st.dataframe, the one with the columns of its downloads)."""
    columns = frame(at, key).columns
    return pl.from_pandas(next(d.value for d in at.dataframe if list(d.value.columns) == columns))


def test_a_long_list_is_sent_a_page_at_a_time_and_nothing_is_hidden(demo_db, con):  # noqa: F811
    """Своевременность sent its 4 735 late marks (1.97 MB) to the browser on every visit: a long list now goes a
    page at a time, narrowed by teacher, ordered as a whole; the count and the downloads stay the whole list."""
    late = queries.run(con, "mark_late", SCOPE)
    assert late.height > 2 * ui.PAGE_ROWS
    at = deck_at(demo_db, "timeliness")
    assert frame(at, "mark_late")["Отметка (код)"].to_list() == late["mark_id"].to_list()  # the files: all rows
    assert f"Строк: {fmt.number(late.height)}" in [c.value for c in at.caption]
    assert _screen(at, "mark_late")["Отметка (код)"].to_list() == late["mark_id"].head(ui.PAGE_ROWS).to_list()

    at.selectbox(key="order_mark_late").set_value("Задержка не меньше, дн.").run()
    at.toggle(key="desc_mark_late").set_value(True).run()
    at.number_input(key="page_mark_late").set_value(2).run()
    by_lag = late.sort("lag_days_min", descending=True, nulls_last=True, maintain_order=True)
    assert _screen(at, "mark_late")["Отметка (код)"].to_list() == \
        by_lag.slice(ui.PAGE_ROWS, ui.PAGE_ROWS)["mark_id"].to_list()
    assert f"Строки {ui.PAGE_ROWS + 1}–{2 * ui.PAGE_ROWS} из {fmt.number(late.height)}." in \
        " ".join(c.value for c in at.caption)

    teacher = late["teacher_id"].value_counts(sort=True)["teacher_id"][0]
    name = fmt.name_maps(deck.lookups(con))["teacher_id"][teacher]
    at.selectbox(key="narrow_mark_late_Учитель").set_value(name).run()  # back to the first page
    own = by_lag.filter(pl.col("teacher_id") == teacher)
    assert _screen(at, "mark_late")["Отметка (код)"].to_list() == own.head(ui.PAGE_ROWS)["mark_id"].to_list()
    assert f"из {fmt.number(own.height)} отобранных (в списке {fmt.number(late.height)})" in \
        " ".join(c.value for c in at.caption)
    assert frame(at, "mark_late").height == late.height
