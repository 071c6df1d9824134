"""A file handed to `zavuch import` as recorded API responses: a saved single response (pretty-printed JSON)
is told apart from broken JSON, and a file not in UTF-8 is refused in words, not with a UnicodeDecodeError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from etl.adapters.base import AdapterError
from etl.adapters.recording import read_recording


def test_single_json_document_is_named_as_such(tmp_path: Path) -> None:
    p = tmp_path / "marks.json"
    p.write_text(json.dumps({"marks": [{"value": "5"}]}, indent=1), encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        read_recording(p, "dnevnik_ru")
    assert str(e.value) == ('marks.json: это один документ JSON, а нужна запись ответов API: по строке на ответ, '
                            '{"path": …, "body": …} (docs/adapters.md)')


def test_broken_json_line_gives_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "responses.jsonl"
    p.write_text('{"path": "a", "body": 1}\n{"path": "b", body: 2}\n', encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        read_recording(tmp_path, "dnevnik_ru")
    assert str(e.value) == "responses.jsonl, строка 2, позиция 15: это не JSON"


def test_windows_1251_recording_refused_with_exit_2(tmp_path: Path) -> None:
    p = tmp_path / "responses.jsonl"
    p.write_bytes('{"path": "a", "body": 1}\n{"path": "b", "body": "Привет"}\n'.encode("cp1251"))
    db = tmp_path / "w.duckdb"
    r = CliRunner().invoke(app, ["import", "dnevnik_ru", str(p), "--db", str(db)])
    assert r.exit_code == 2, r.output
    assert "responses.jsonl, строка 2: файл не в кодировке UTF-8 (байт 0xcf)" in r.output
    assert not db.exists()


RECORDINGS = {  # a path of each system's recording
    "dnevnik_ru": "edu-groups/2000000000000000001/marks/2025-09-01T00:00:00/2025-09-07T00:00:00",
    "mesh": "ej/core/teacher/v1/class_units",
    "netschool": "api/mobile/classmeetings",
    "eljur": "getmarks",
}


@pytest.mark.parametrize("system", ["dnevnik_ru", "kundelik_kz", "mesh", "netschool", "eljur"])
def test_a_recording_of_another_system_is_named_and_nothing_is_written(tmp_path: Path, system: str) -> None:
    """A Дневник.ру recording imported as МЭШ loaded its school and subjects (both systems have
    `schools/{id}` and `…/subjects`), a snapshot under the wrong system; others failed on a missing resource."""
    db = tmp_path / "w.duckdb"
    for other, path in RECORDINGS.items():
        if other == system or (other == "dnevnik_ru" and system == "kundelik_kz"):
            continue
        rec = tmp_path / other / "responses.jsonl"
        rec.parent.mkdir(exist_ok=True)
        rec.write_text(json.dumps({"path": "schools/1", "body": {"id": 1, "name": "Школа № 1"}}) + "\n"
                       + json.dumps({"path": path, "body": []}) + "\n", encoding="utf-8")
        r = CliRunner().invoke(app, ["import", system, str(rec.parent), "--db", str(db)])
        assert r.exit_code == 2, r.output
        names = {"dnevnik_ru": "Дневник.ру", "kundelik_kz": "Kundelik.kz", "mesh": "МЭШ",
                 "netschool": "«Сетевой город»", "eljur": "ЭлЖур"}
        assert " ".join(r.output.split()) == (
            f"Ошибка: responses.jsonl, строка 2 ({path}): это запись ответов API {names[other]}, а не {names[system]}; "
            f"загрузите её так: zavuch import {other} {rec.parent} Ничего не записано.")
    assert list(tmp_path.glob("w.duckdb*")) == []


def test_a_recording_cut_off_in_its_last_line_says_so(tmp_path: Path) -> None:
    """A copy that stopped mid-write read «строка 2, позиция 15: это не JSON»: the admin looked for a typo."""
    p = tmp_path / "responses.jsonl"
    p.write_text('{"path": "a", "body": 1}\n{"path": "b", "body": [{"value": "5"}, {"val', encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        read_recording(tmp_path, "dnevnik_ru")
    assert str(e.value) == ("responses.jsonl, строка 2, позиция 41: запись оборвана — последняя строка не дописана "
                            "(копирование или выгрузка прервались); скопируйте файл заново или повторите zavuch pull")


@pytest.mark.parametrize(("page", "what"), [
    ('<!DOCTYPE html><html><body><form><input type="password" name="pw"></form></body></html>', "страница входа"),
    ("<html><body><h1>502 Bad Gateway</h1></body></html>\n", "страница HTML"),
])
def test_a_web_page_in_place_of_a_recording_is_named(tmp_path: Path, page: str, what: str) -> None:
    (tmp_path / "responses.jsonl").write_text(page, encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        read_recording(tmp_path, "mesh")
    assert str(e.value) == (f"responses.jsonl, строка 1: это {what}, а не запись ответов API (по строке JSON на "
                            "ответ); запишите ответы командой zavuch pull (docs/adapters.md)")
