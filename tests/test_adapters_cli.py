"""`zavuch import` and `zavuch pull` from the command line: success, plain refusals, nothing written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.adapter_fixtures import SAMPLES, query

runner = CliRunner()


def test_import_elschool_page(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    res = runner.invoke(app, ["import", "elschool", str(SAMPLES / "elschool" / "grades_page_test.html"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert query(db, "SELECT count(*), sum(flag_entered_before_lesson::INT) FROM marks") == [(91, 2)]


def test_import_refusals_are_plain_and_write_nothing(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    bad = tmp_path / "page.html"
    bad.write_text("<html><body>нет таблицы</body></html>", encoding="utf-8")
    for args, text in (
        (["import", "elschool", str(bad)], "page.html: не найдена таблица"),
        (["import", "ruobr", str(bad)], "система «ruobr» не поддерживается"),
        (["import", "elschool", str(tmp_path / "none.html")], "нет такого файла"),
    ):
        res = runner.invoke(app, [*args, "--db", str(db)])
        assert res.exit_code == 2 and text in res.output and "Traceback" not in res.output, res.output
    assert not db.exists()


def test_pull_refuses_config_of_another_system(tmp_path: Path) -> None:
    cfg = tmp_path / "pull.toml"
    cfg.write_text('system = "kundelik_kz"\nbase_url = "http://127.0.0.1:9"\nschool = "1"\ndate_from = 2025-09-01\n'
                   'state_dir = "state"\ntoken_env = "ZAVUCH_TEST_TOKEN"\n', encoding="utf-8")
    res = runner.invoke(app, ["pull", "dnevnik_ru", "--config", str(cfg), "--db", str(tmp_path / "wh.duckdb")])
    assert res.exit_code == 2 and "system = «kundelik_kz»" in res.output
