"""Results of a period still running: the deck showed успеваемость and качество of the semester under way
(the period marks entered so far) with their change and traffic light as if they were the semester's
results. It now says in words that the period is not over, its last day and the day the figures are for.

The base school (tests/metrics_fixtures.py) with a semester p2 around today (the deck's check day is the
real today): 5А's period marks so far a1 «5», a2 «2» (a3, a4 not yet marked); in p1 a1 «5», a2 «4».
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import queries
from cli.main import app
from queries import deck, documents
from reports import svodnaya
from tests.dashboard_fixtures import clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import School, school
from tests.test_dashboard import deck_at

TODAY = dt.date.today()
START, END = TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=30)
RUNNING = {"school": "s1", "period": "p2"}


def _running(path: Path) -> School:
    s = school(str(path))
    s.insert("periods", id="p2", school_id="s1", academic_year_id="y25", name="2 семестр", kind="semester",
             number=2, start_date=START, end_date=END, grade_from=2, grade_to=9)
    for kid, first, now in (("a1", "5", "5"), ("a2", "4", "2")):
        s.period_mark(kid, "math", "5a", first)
        s.period_mark(kid, "math", "5a", now, period="p2", entered_at=None)
    for day in (dt.date(2025, 9, 8), START + dt.timedelta(days=7 - START.weekday())):  # a Monday of each
        s.mark(s.lesson("5a", "math", day), "a1", "5")
    return s


def test_the_query_layer_names_the_periods_not_ended_on_the_check_day(tmp_path: Path) -> None:
    s = _running(tmp_path / "wh.duckdb")
    running = deck.periods_not_ended(s.con, queries.Scope(period_id="p2"))
    assert running.rows() == [("p2", "2 семестр", END, TODAY)]
    # the last day itself is not after the period (marks are still entered on it); the day after is
    assert deck.periods_not_ended(s.con, queries.Scope(period_id="p2", as_of=END)).height == 1
    assert deck.periods_not_ended(s.con, queries.Scope(period_id="p2", as_of=END + dt.timedelta(days=1))).is_empty()
    assert deck.periods_not_ended(s.con, queries.Scope(period_id="p1")).is_empty()


def _notes(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "не закончил" in w.value]


def test_the_deck_says_a_running_periods_results_are_not_final(tmp_path: Path) -> None:
    """By hand: 2 period marks so far, «5» and «2»: успеваемость 50,0 %, against 100,0 % in p1 — the tiles
    showed «50,0 %», «-50,0 п. п.» and a red light with nothing saying the semester runs until END."""
    s = _running(tmp_path / "wh.duckdb")
    figures = deck.key_figures(s.con, queries.Scope(period_id="p2"))
    assert figures.filter(pl.col("key") == "success").select("value", "change").row(0) == (50.0, -50.0)
    s.con.close()
    said = (f"Период «2 семестр» (последний день — {END:%d.%m.%Y}) ещё не закончился: отметки за период "
            f"выставлены ещё не всем. Успеваемость, качество знаний, СОУ, средняя отметка за период и изменение к "
            f"прошлому периоду здесь — на {TODAY:%d.%m.%Y} по уже внесённым отметкам за период, а не итоги периода.")
    results = deck_at(tmp_path / "wh.duckdb", "results", RUNNING)
    assert _notes(results) == [said]
    overview = deck_at(tmp_path / "wh.duckdb", None, RUNNING)
    assert _notes(overview) == [said]
    lights = [m.value for m in overview.markdown if "Успеваемость" in m.value or "успеваемость" in m.value]
    assert lights and all(":gray-badge[период не закончился]" in m for m in lights)


def test_an_ended_period_has_no_such_note(tmp_path: Path) -> None:
    s = _running(tmp_path / "wh.duckdb")
    s.con.close()
    at = deck_at(tmp_path / "wh.duckdb", "results", {"school": "s1", "period": "p1"})
    assert at.metric and not _notes(at)


def test_a_vedomost_of_a_running_period_says_it_is_not_over(tmp_path: Path) -> None:
    """The сводная ведомость of the semester under way printed «Успеваемость 50,0 %…» under «за 2 семестр»,
    to be signed and filed, with nothing saying the semester runs until END; an ended one has no note."""
    s = _running(tmp_path / "wh.duckdb")
    note = (f"Период не закончился (последний день — {END:%d.%m.%Y}): в ведомости — отметки, выставленные к "
            f"{TODAY:%d.%m.%Y}, а не итоги.")
    running = [b.text for b in svodnaya.build(s.con, "s1", period_id="p2", date=TODAY).blocks if hasattr(b, "text")]
    assert running[3] == note and running[4].startswith("Отметок в расчёте показателей: 2 ")
    ended = [b.text for b in svodnaya.build(s.con, "s1", period_id="p2", date=END + dt.timedelta(days=1)).blocks
             if hasattr(b, "text")]
    assert not [t for t in ended if "не закончился" in t]
    assert not [b for b in svodnaya.build(s.con, "s1", period_id="p1", date=TODAY).blocks
                if "не закончился" in getattr(b, "text", "")]
    # a year's sheets: the year runs to 31.05.2026
    year = dt.date(2026, 5, 31)
    assert documents.year_sheets(s.con, "y25", as_of=year).runs_to == year
    assert documents.year_sheets(s.con, "y25", as_of=year + dt.timedelta(days=1)).runs_to is None


def test_zavuch_metrics_says_it_too(tmp_path: Path) -> None:
    """`zavuch metrics results_summary --period p2` printed the running semester's figures as the deck did;
    the note goes to stderr, so the JSON or CSV on stdout stays data."""
    s = _running(tmp_path / "wh.duckdb")
    s.con.close()
    args = ["metrics", "results_summary", "--period", "p2", "--db", str(tmp_path / "wh.duckdb"), "--format", "json"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    school = next(r for r in json.loads(out.stdout)["rows"] if r["dimension"] == "school")
    assert school["success_pct"] == 50.0
    assert out.stderr.strip() == (
        f"Период «2 семестр» (последний день — {END:%d.%m.%Y}) ещё не закончился: отметки за период выставлены ещё "
        f"не всем. Успеваемость, качество знаний, СОУ, средняя отметка за период и изменение к прошлому периоду "
        f"здесь — на {TODAY:%d.%m.%Y} по уже внесённым отметкам за период, а не итоги периода.")
    ended = CliRunner().invoke(app, [*args[:3], "p1", *args[4:]])
    assert ended.exit_code == 0 and not ended.stderr
