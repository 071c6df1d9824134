"""The figures a director presents at the pedagogical council and a deputy writes into the справка are one
figure on every surface: the deck's tiles and tables, its downloads, `zavuch metrics` and the documents.

The base school (tests/metrics_fixtures.py): 5А = a1..a4 + mover until 15 Oct; 5Б = b1 + mover from 16 Oct;
weights: answer 1, control work 2; the previous semester p0 is of the previous academic year.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard import fmt
from queries import deck
from reports import text
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import AS_OF, D, School, school

# Shares as the query layer gives them (4 decimals) whose percent ends in a half: Python's format rounded
# them on their binary value for the tiles and the documents, polars' round for the tables and the CSV,
# and the two disagreed (0.9645: the demo's 8В attendance in the 2nd semester, tile «96,5 %», table
# «96,4 %»; 0.9755: «97,5 %» on the tile, «97,6 %» in the table). Half up on the decimal value, by hand:
HALVES = {0.9645: "96,5", 0.9755: "97,6", 0.9765: "97,7", 0.0015: "0,2", 0.1915: "19,2", 0.8045: "80,5",
          0.9731: "97,3", 1.0: "100,0"}


@pytest.mark.parametrize(("share", "shown"), HALVES.items())
def test_a_share_reads_the_same_on_every_surface(share: float, shown: str) -> None:
    tile = fmt.share(share)  # the deck's tiles
    frame = pl.DataFrame({"attendance_rate": [share]})
    table = fmt.as_text(frame, ["attendance_rate"]).item()  # the deck's tables, `zavuch metrics --format table`
    files = fmt.for_files(frame, ["attendance_rate"])  # its CSV / XLSX, `zavuch metrics --format csv`
    document = text.share(share)  # справка, приказ, ведомость
    assert tile == table == document == f"{shown}\u00a0%"
    assert files.columns == ["attendance_rate, %"] and f"{files.item():.1f}".replace(".", ",") == shown


def test_numbers_and_changes_round_half_up_alike() -> None:
    # 3.125 (an average to two decimals), 0.05 п.п. (a change), 2.5 (whole number of a document's table)
    assert fmt.number(3.125, 2) == text.number(3.125, 2) == "3,13"
    assert fmt.signed(0.05, 1, " п.п.") == "+0,1 п.п." and fmt.signed(-0.05, 1, " п.п.") == "-0,1 п.п."
    assert text.number(2.5, 0) == "3" and text.number(12055) == "12\u00a0055"
    cells = fmt.as_text(pl.DataFrame({"avg_mark": [3.125, 4.0]}), ["avg_mark"])["avg_mark"].to_list()
    assert cells == ["3,13", "4,00"]


def _one_class(path: Path) -> School:
    s = school(str(path))
    s.period_mark("a1", "math", "5a", "5")
    s.mark(s.lesson("5a", "math", D(2025, 9, 8)), "a1", "5")
    return s


@pytest.mark.parametrize("scope", [
    {"period_id": "p1"},  # the previous semester p0 is last year's, before class 5А existed
    {"date_from": D(2025, 9, 1), "date_to": D(2025, 9, 30)},  # «Свои даты»: the range before is August
])
def test_a_class_without_a_previous_period_has_its_figures_and_no_change(tmp_path: Path, scope: dict) -> None:
    """Обзор of a class stopped on a ScopeError («класс «5a» относится к 2025/2026 учебному году, а выбранные
    даты (09.01.2025–30.05.2025) — нет») when the period or range before lay outside the class's year."""
    s = _one_class(tmp_path / "wh.duckdb")
    figures = deck.key_figures(s.con, queries.Scope(group_id="5a", as_of=AS_OF, **scope))
    assert figures.filter(pl.col("key") == "topics")["value"].to_list() == [1.0]
    assert figures["previous"].null_count() == figures["change"].null_count() == figures.height
    s.con.close()
    os.environ["ZAVUCH_DB"] = str(tmp_path / "wh.duckdb")
    at = AppTest.from_file(APP, default_timeout=180)
    url = {"school": "s1", "class": "5a", **({"period": "p1"} if "period_id" in scope else
                                              {"period": "dates", "from": "2025-09-01", "to": "2025-09-30"})}
    for k, v in url.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m for m in at.metric}
    assert tiles["Уроки с темой"].value == "100,0\u00a0%" and not tiles["Уроки с темой"].delta
    assert tiles["Уроки с темой"].help == "За прошлый период по этому срезу данных нет."
