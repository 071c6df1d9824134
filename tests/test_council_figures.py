"""The figures a director presents at the pedagogical council and a deputy writes into the справка are one
figure on every surface: the deck's tiles and tables, its downloads, `zavuch metrics` and the documents.

The base school (tests/metrics_fixtures.py): 5А = a1..a4 + mover until 15 Oct; 5Б = b1 + mover from 16 Oct;
weights: answer 1, control work 2; the previous semester p0 is of the previous academic year.
"""

from __future__ import annotations

import polars as pl
import pytest

from dashboard import fmt
from reports import text

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
