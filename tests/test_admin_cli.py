"""The school IT administrator's paths through `zavuch`: load, interrupt, archive, restore, status."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from etl.loader import load_bundle
from tests.load_fixtures import T0, query, school, write_bundle


def test_archive_of_a_year_without_reporting_periods(tmp_path: Path) -> None:
    """A school whose bundle has no periods.csv yet (the Excel canonical bundle filled table by table) got a
    Python traceback from `zavuch archive create` (IndexError in the year's сводная ведомость title) and no
    archive; now both copies are written, verify and restore."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "bundle", school()), db, now=T0)
    runner = CliRunner()
    key = tmp_path / "school.key"
    assert runner.invoke(app, ["archive", "keygen", "--out", str(key)]).exit_code == 0
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    made = runner.invoke(app, ["archive", "create", "--db", str(db), "--key", str(key), "--year", "2025/2026",
                               "--to", str(tmp_path / "a"), "--to", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    assert "Traceback" not in made.output
    copies = [next((tmp_path / m).iterdir()) for m in ("a", "b")]
    assert made.output.count("Записан и проверен") == 2
    restored = tmp_path / "restored.duckdb"
    back = runner.invoke(app, ["archive", "restore", str(copies[1]), "--db", str(restored), "--pubkey", f"{key}.pub"])
    assert back.exit_code == 0, back.output
    assert query(restored, "SELECT id, value_raw FROM marks ORDER BY id") == [("K1", "5"), ("K2", "4-"), ("K3", "3"), ("K4", "н/а")]
