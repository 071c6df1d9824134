"""`zavuch forecast backtest --school X` with a school the warehouse does not hold says so, instead of
«нет завершённых периодов с выставленными отметками» (which sends the user looking for missing marks)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.metrics_fixtures import D, school


def test_unknown_school_named(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    school(str(path)).con.close()
    r = CliRunner().invoke(app, ["forecast", "backtest", "--school", "s9", "--db", str(path)])
    assert r.exit_code == 2
    assert "школа «s9» не найдена в хранилище" in r.output


def test_the_csv_opens_in_russian_excel_and_a_name_cannot_become_a_formula(tmp_path: Path) -> None:
    """`zavuch forecast` wrote comma-separated CSV with decimal points and ISO dates (Russian Excel opens it as
    one column) and journal text as is: a name «=1+1» was a formula in the deputy's spreadsheet."""
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.con.execute("UPDATE people SET last_name = '=1+1' WHERE id = 'a1'")
    for day in (D(2025, 9, 8), D(2025, 9, 15)):
        lesson = s.lesson("5a", "math", day)
        s.mark(lesson, "a1", "5")
        s.mark(lesson, "a2", "4")
    s.con.close()
    r = CliRunner().invoke(app, ["forecast", "--as-of", "2025-09-20", "--class", "5a", "--subject", "math",
                                 "--rule", "--db", str(path)])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8-sig")), delimiter=";"))
    header = list(table[0])
    rows = {row["student_id"]: row for row in table}
    assert rows["a1"]["student_name"] == "'=1+1 Имя" and rows["a1"]["as_of"] == "20.09.2025"
    assert (rows["a1"]["weighted_avg"], rows["a2"]["weighted_avg"]) == ("5,0", "4,0")
    assert "absence_share, %" in header
