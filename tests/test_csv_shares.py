"""Shares in the files a deputy opens in Russian Excel. The screen said «96,5 %» while the deck's CSV and XLSX
and `zavuch metrics --format csv` wrote 0,965 (0.965 in the CLI's comma-separated, BOM-less file, which Russian
Excel opens as one column of mojibake); now every file carries the percent the screen shows under a header
that names the unit («Доля в срок, %»), and the CLI writes the deck's CSV byte for byte. JSON stays machine
data (fractions, ids). A list column (students without a control-work mark) made the CSV download fail and
showed student ids; it is now text of names."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard import fmt, ui
from etl.rounding import half_up
from etl.warehouse import connect_readonly
from queries import deck
from tests.dashboard_fixtures import APP, PERIOD, SCHOOL, clean_streamlit_caches, demo_db  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
ZAVUCH = Path(sys.executable).with_name("zavuch")
SCOPE = queries.Scope(period_id=PERIOD, school_id=SCHOOL)


def _page(db: Path, page: str) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([str(ZAVUCH), "metrics", *args, "--period", PERIOD, "--school", SCHOOL, "--db", str(db)],
                       capture_output=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr.decode()
    return r


def test_files_carry_the_percent_the_screen_shows_and_the_cli_writes_the_same_csv(demo_db):  # noqa: F811
    at = _page(demo_db, "timeliness")
    con = connect_readonly(demo_db)
    try:
        expected = queries.run(con, "timeliness_summary", SCOPE)
    finally:
        con.close()
    files = at.session_state["_files"]["timeliness_by_teacher"]
    assert "Доля в срок" not in files.columns
    assert files["Доля в срок, %"].to_list() == [half_up(x, 1, 100) for x in expected["share_within_deadline"]]
    assert files["Доля в срок, %"].min() < 100  # not only full shares: the rounding is exercised
    csv_bytes = fmt.to_csv(files)
    cells = pl.read_csv(io.BytesIO(csv_bytes), separator=";", infer_schema=False)
    screen = next(d.value for d in at.dataframe if "Доля в срок" in d.value.columns)
    assert len(screen) == min(files.height, ui.PAGE_ROWS)  # a long list: its first page on screen
    # «96,5» ↔ «96,5 %»
    assert [c + "\u00a0%" for c in cells["Доля в срок, %"].head(len(screen))] == screen["Доля в срок"].tolist()
    xlsx = pl.read_excel(io.BytesIO(fmt.to_xlsx(files, "Своевременность")))
    assert xlsx["Доля в срок, %"].to_list() == files["Доля в срок, %"].to_list()

    cli = _cli(demo_db, "timeliness_summary", "--format", "csv").stdout
    assert cli == csv_bytes
    assert cli.startswith("\ufeffУчитель;Вид записи;".encode())
    machine = json.loads(_cli(demo_db, "timeliness_summary", "--format", "json").stdout)["rows"]
    assert [r["share_within_deadline"] for r in machine] == expected["share_within_deadline"].to_list()


def test_a_list_of_students_is_a_csv_cell_of_names(demo_db):  # noqa: F811
    con = connect_readonly(demo_db)
    try:
        incomplete = queries.run(con, "control_work_incomplete", SCOPE)
        people = deck.lookups(con).people
    finally:
        con.close()
    short = dict(zip(people["id"], people["short_name"], strict=True))
    row = incomplete.row(0, named=True)
    at = _page(demo_db, "teachers")
    at.selectbox(key="drill_teacher").set_value(row["teacher_id"]).run()
    at.selectbox(key="drill_metric").set_value("control_work_incomplete").run()
    assert not at.exception, [e.value for e in at.exception]
    files = at.session_state["_files"]["drill_control_work_incomplete"]
    cells = pl.read_csv(io.BytesIO(fmt.to_csv(files)), separator=";", infer_schema=False)
    first = cells.filter(pl.col("Урок (код)") == row["lesson_id"]).item(0, "Ученики без отметки")
    assert first == ", ".join(short[s] for s in row["unmarked_students"])
    assert "s001-st" not in first


def test_the_pages_composed_frames_are_printed_by_zavuch_metrics(demo_db):  # noqa: F811
    """The Обзор's pooled «Записи внесены в срок» (Σ in time / Σ timed over marks, topics, roll and homework)
    and the Учителя page's scorecard came from no `zavuch metrics` name: a deputy could not show the tile's
    figure from the command line. `overview`, `teacher_scorecard` and `period_summary` now print the
    page's frames (queries.composed)."""
    con = connect_readonly(demo_db)
    try:
        figures = deck.key_figures(con, SCOPE)
        timely = queries.run(con, "timeliness_summary", SCOPE)
    finally:
        con.close()
    pooled = half_up(timely["within_deadline"].sum() / timely["timed"].sum(), 3)
    machine = json.loads(_cli(demo_db, "overview", "--format", "json").stdout)["rows"]
    assert machine == figures.to_dicts()
    assert machine[0]["title"] == "Записи внесены в срок" and machine[0]["value"] == pooled

    tiles = {m.label: m.value for m in _page(demo_db, "overview").metric}
    cells = pl.read_csv(io.BytesIO(_cli(demo_db, "overview", "--format", "csv").stdout), separator=";",
                        infer_schema=False)
    assert dict(zip(cells["Показатель"], cells["Значение"], strict=True)) == tiles
    assert tiles["Записи внесены в срок"] == fmt.share(pooled)

    files = _page(demo_db, "teachers").session_state["_files"]["scorecard"]
    assert _cli(demo_db, "teacher_scorecard", "--format", "csv").stdout == fmt.to_csv(files)
    assert "Уроки без темы" in files.columns and "topic_missing" not in files.columns
