"""`zavuch forecast backtest --school X` with a school the warehouse does not hold says so, instead of
«нет завершённых периодов с выставленными отметками» (which sends the user looking for missing marks)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.metrics_fixtures import school


def test_unknown_school_named(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    school(str(path)).con.close()
    r = CliRunner().invoke(app, ["forecast", "backtest", "--school", "s9", "--db", str(path)])
    assert r.exit_code == 2
    assert "школа «s9» не найдена в хранилище" in r.output
