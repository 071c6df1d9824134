"""The console script tells click's own usage errors in Russian, exit code 2, naming the command's --help
(typer printed them in English: «Missing option '--out'.», «No such command 'x'.»); commands' own exit
codes pass through unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cli.main import main


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["zavuch", *args])
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr()
    return e.value.code, " ".join((out.out + out.err).split())


@pytest.mark.parametrize(("args", "message"), [
    (["spravka", "--period", "p1"], "Ошибка: не указан обязательный параметр --out Справка: zavuch spravka --help"),
    (["load"], "Ошибка: не указан обязательный параметр ПУТЬ Справка: zavuch load --help"),
    (["metrics", "topic_missing", "--format", "xml"],
     "Ошибка: неверное значение --format: допустимо: table, csv, json Справка: zavuch metrics --help"),
    (["metrics", "topic_missing", "--grade", "пятый"], "Ошибка: неверное значение --grade: нужно целое число"),
    (["demo", "--port", "70000"], "Ошибка: неверное значение --port: нужно целое число от 1 до 65535"),
    (["forecast", "evaluate", "--dataset", "uci-mat", "--cutoff", "половина"],
     "Ошибка: неверное значение --cutoff: нужно число (с точкой: 0.5)"),
    (["statsu"], "Ошибка: нет такой команды: statsu (может быть, status?) Справка: zavuch --help"),
    (["vedomst"], "Ошибка: нет такой команды: vedomst"),
    (["user", "add", "x", "--name", "Y", "--role", "deputy", "--scool", "s1"], "Ошибка: нет такого параметра: --scool"),
    (["status", "--db"], "Ошибка: после --db нужно значение"),
    (["status", "лишнее", "слово"], "Ошибка: лишние слова в команде: лишнее слово Справка: zavuch status --help"),
])
def test_usage_errors_in_russian(monkeypatch, capsys, args: list[str], message: str) -> None:
    code, text = _run(monkeypatch, capsys, *args)
    assert code == 2
    assert message in text
    assert "Missing" not in text and "Invalid value" not in text and "No such" not in text


def test_commands_exit_codes_pass_through(monkeypatch, capsys, tmp_path: Path) -> None:
    code, text = _run(monkeypatch, capsys, "status", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "ещё не создано" in text
    code, text = _run(monkeypatch, capsys, "archive", "verify", str(tmp_path))
    assert code == 1 and "НЕ прошёл проверку" in text
    code, text = _run(monkeypatch, capsys, "metrics", "--help")
    assert code == 0 and "Показатели семестрового контроля" in text
