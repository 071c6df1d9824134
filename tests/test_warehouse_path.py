"""A warehouse path (--db or $ZAVUCH_DB) that is misspelt, a folder or another file.

Every command used to create a missing folder: a typo started an empty warehouse (or accounts file)
silently, and `status` or the deck then showed an empty school; a folder or a non-DuckDB file gave an
English traceback. Now the commands that read refuse (exit 2, the path, what to run first, nothing
written); the loading commands may start a new warehouse and say so; the deck opens a missing warehouse
only inside an existing folder (first setup through its «Данные» page).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cli import serve
from tests.load_fixtures import query, school, write_bundle
from tests.test_cli_usage_errors import _run

READ_COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["metrics", "topic_missing", "--period", "p1"],
    ["spravka", "--period", "p1", "--out", "{tmp}/s.pdf"],
    ["prikaz", "--period", "p1", "--out", "{tmp}/p.pdf"],
    ["vedomost", "--period", "p1", "--out", "{tmp}/v.pdf"],
    ["raspechatka", "--class", "5А", "--week", "2025-10-06", "--out", "{tmp}/r.pdf"],
    ["pismo", "--class", "5А", "--as-of", "2025-10-06", "--out", "{tmp}/l.pdf"],
    ["forecast", "--as-of", "2025-10-06"],
    ["forecast", "backtest"],
    ["incident", "add", "--person", "t1", "--at", "2025-10-06 08:00"],
    ["serve", "--port", "{port}"],
    ["user", "list"],
    ["user", "add", "ivanova", "--name", "Иванова А. А.", "--role", "director", "--oidc", "a@school.ru"],
    ["user", "disable", "ivanova"],
    ["user", "reset-password", "ivanova"],
    ["user", "grant", "ivanova", "--role", "deputy"],
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _args(args: list[str], tmp: Path) -> list[str]:
    return [a.format(tmp=tmp, port=_free_port()) for a in args]


@pytest.mark.parametrize("via_env", [False, True], ids=["--db", "ZAVUCH_DB"])
@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_path_into_a_missing_folder_is_refused_and_nothing_is_created(monkeypatch, capsys, tmp_path: Path,
                                                                       args: list[str], via_env: bool) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    monkeypatch.delenv("ZAVUCH_ACCESS_DB", raising=False)
    db = tmp_path / "zavuhc" / "data" / "zavuch.duckdb"  # «zavuch» misspelt
    if via_env:
        monkeypatch.setenv("ZAVUCH_DB", str(db))
        code, text = _run(monkeypatch, capsys, *_args(args, tmp_path))
    else:
        code, text = _run(monkeypatch, capsys, *_args(args, tmp_path), "--db", str(db))
    assert code == 2, text
    assert f"папки {tmp_path / 'zavuhc'} не существует" in text
    assert "Проверьте путь --db или $ZAVUCH_DB" in text and "zavuch load ПАКЕТ" in text
    assert "Traceback" not in text and started == []
    assert list(tmp_path.iterdir()) == []  # no folder, no accounts file, no document


def test_a_missing_file_in_an_existing_folder_is_refused_to_readers(monkeypatch, capsys, tmp_path: Path) -> None:
    code, text = _run(monkeypatch, capsys, "status", "--db", str(tmp_path / "zavuch.duckbd"))
    assert code == 2
    assert f"Хранилище {tmp_path / 'zavuch.duckbd'} ещё не создано: загрузите данные" in text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["folder", "text", "empty", "accounts"])
def test_a_folder_or_another_file_is_refused_in_words_by_readers_and_the_loader(monkeypatch, capsys, tmp_path: Path,
                                                                               kind: str) -> None:
    if kind == "folder":
        db = tmp_path / "data"
        db.mkdir()
        expected = f"{db} — это папка, а не файл хранилища; укажите файл, например {db / 'zavuch.duckdb'}"
    else:
        db = tmp_path / {"text": "notes.txt", "empty": "w.duckdb", "accounts": "zavuch-access.sqlite"}[kind]
        db.write_bytes({"text": "Отметки 5А\n".encode(), "empty": b"",
                        "accounts": b"SQLite format 3\x00" + bytes(100)}[kind])
        expected = f"{db} — не файл хранилища Завуча (не база DuckDB); проверьте путь --db или $ZAVUCH_DB"
    before = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    bundle = write_bundle(tmp_path.parent / f"bundle-{kind}", school())
    for args in (["status"], ["metrics", "topic_missing", "--period", "p1"], ["serve", "--port", str(_free_port())],
                 ["load", str(bundle)], ["user", "add", "ivanova", "--name", "Иванова А. А.", "--role", "director",
                                         "--school", "s1", "--oidc", "a@school.ru"]):
        code, text = _run(monkeypatch, capsys, *args, "--db", str(db))
        assert code == 2 and expected in text and "Traceback" not in text, (args, text)
    assert {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")} == before


def test_load_into_a_new_folder_creates_it_and_says_so(monkeypatch, capsys, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle", school())
    db = tmp_path / "new" / "zavuch.duckdb"
    code, text = _run(monkeypatch, capsys, "load", str(bundle), "--db", str(db))
    assert code == 0
    assert (f"Создано новое хранилище: {db} (создана папка {tmp_path / 'new'}). Если путь указан с ошибкой, "
            "загрузите данные в верное хранилище (--db или $ZAVUCH_DB).") in text
    assert query(db, "SELECT count(*) FROM schools") == [(1,)]
    code, text = _run(monkeypatch, capsys, "load", str(bundle), "--db", str(db))  # the same bundle again
    assert code == 0 and "Создано новое хранилище" not in text
    code, text = _run(monkeypatch, capsys, "status", "--json", "--db", str(db))
    assert code == 0 and f'"warehouse": "{db}"' in text


def test_the_deck_opens_a_missing_warehouse_in_an_existing_folder_for_the_first_load(monkeypatch, capsys,
                                                                                       tmp_path: Path) -> None:
    started: list[dict[str, str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, env: started.append(env) or 0)
    db = tmp_path / "zavuch.duckdb"
    port = _free_port()
    code, text = _run(monkeypatch, capsys, "serve", "--port", str(port), "--db", str(db))
    assert code == 0 and started[0]["ZAVUCH_DB"] == str(db)
    assert text.startswith(f"Хранилища {db} ещё нет: загрузите первый пакет на странице «Данные» панели. "
                           f"Панель контроля: http://localhost:{port}")
