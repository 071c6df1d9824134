"""`zavuch import` and `zavuch pull` from the command line: success, plain refusals, nothing written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from etl.adapters.recording import FILE_NAME, write_recording
from tests.adapter_fixtures import SAMPLES, query
from tests.test_adapters_dnevnik import _with_zone

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
        # a misspelt zone was written into the school unchecked (and would break converting any offset)
        (["import", "elschool", str(SAMPLES / "elschool" / "grades_page_test.html"), "--timezone", "Москва"],
         "часовой пояс «Москва» неизвестен: укажите его имя IANA, например Europe/Moscow"),
    ):
        res = runner.invoke(app, [*args, "--db", str(db)])
        assert res.exit_code == 2 and text in res.output and "Traceback" not in res.output, res.output
    assert not db.exists()


def test_an_input_the_system_cannot_read_is_refused_in_russian(tmp_path: Path, monkeypatch) -> None:
    """A recording the user may not read printed a Python traceback; a page, the OS's English «Is a
    directory»."""
    db = tmp_path / "wh.duckdb"
    (tmp_path / "rec" / "responses.jsonl").mkdir(parents=True)
    res = runner.invoke(app, ["import", "dnevnik_ru", str(tmp_path / "rec"), "--db", str(db)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert f"{tmp_path / 'rec' / 'responses.jsonl'}: файл или папка не читается: это папка, а нужен файл" in res.output
    res = runner.invoke(app, ["import", "elschool", str(tmp_path / "rec"), "--db", str(db)])
    assert res.exit_code == 2 and "файл или папка не читается: это папка, а нужен файл" in res.output, res.output
    recording = tmp_path / "responses.jsonl"
    recording.write_text("{}\n", encoding="utf-8")

    def locked(self: Path) -> bytes:  # what the OS says of a file without read permission (root reads any)
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", locked)
    res = runner.invoke(app, ["import", "mesh", str(recording), "--db", str(db)])
    assert res.exit_code == 2 and f"{recording}: файл или папка не читается: нет прав на чтение" in res.output, res.output
    assert not db.exists()


def test_pull_refuses_config_of_another_system(tmp_path: Path) -> None:
    cfg = tmp_path / "pull.toml"
    cfg.write_text('system = "kundelik_kz"\nbase_url = "http://127.0.0.1:9"\nschool = "1"\ndate_from = 2025-09-01\n'
                   'state_dir = "state"\ntoken_env = "ZAVUCH_TEST_TOKEN"\n', encoding="utf-8")
    res = runner.invoke(app, ["pull", "dnevnik_ru", "--config", str(cfg), "--db", str(tmp_path / "wh.duckdb")])
    assert res.exit_code == 2 and "system = «kundelik_kz»" in res.output


def test_import_dnevnik_takes_the_schools_zone_and_refuses_a_contradicting_timezone(tmp_path: Path) -> None:
    """School.timeZone was ignored, --timezone (default Moscow) stood in for it: both ways from the command line."""
    write_recording(_with_zone(7), tmp_path / "rec" / FILE_NAME)
    db = tmp_path / "wh.duckdb"
    res = runner.invoke(app, ["import", "dnevnik_ru", str(tmp_path / "rec"), "--db", str(db), "--timezone", "Europe/Moscow"])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "часовой пояс школы в Дневник.ру — UTC+7 (School.timeZone = 7), а указан Europe/Moscow — UTC+3" in res.output
    assert "Ничего не записано." in res.output and not db.exists()
    res = runner.invoke(app, ["import", "dnevnik_ru", str(tmp_path / "rec"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert query(db, "SELECT timezone FROM schools") == [("Etc/GMT-7",)]
