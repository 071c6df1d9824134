"""Every `zavuch … --help` is plain Russian: typer printed its own frame in English («Usage:», «Options»,
«Commands», «Arguments», «Show this message and exit.», «<bool>», «[default: …]», «[required]») around our
Russian descriptions. Each command's help is read through the console script, as the school's IT admin
runs it; the only Latin words left are the ones the command's own text holds (option names, choices,
file names, the names of ЭЖ systems)."""

from __future__ import annotations

import re
import shlex
import sys

import pytest
import typer.main

from cli.main import app, main

ROOT = typer.main.get_command(app)


def _commands(command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(ROOT)
LATIN = re.compile(r"[A-Za-z][A-Za-z_]*")


def _help(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *path: str) -> str:
    monkeypatch.setattr(sys, "argv", ["zavuch", *path, "--help"])
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr()
    assert e.value.code == 0 and out.err == ""
    return out.out


def _own_words(command) -> set[str]:
    """The Latin words the command's own texts hold: its help, its subcommands' help, its parameters."""
    texts = [command.help or "", command.epilog or "", *(getattr(command, "commands", {}).keys())]
    texts += [c.help or "" for c in getattr(command, "commands", {}).values()]
    for p in command.params:
        texts += [*p.opts, *p.secondary_opts, getattr(p, "help", None) or "", str(p.default)]
        ann = getattr(getattr(p, "type_descriptor", None), "annotation", None)
        texts += [str(m.value) for m in getattr(ann, "__members__", {}).values()]
    return set(LATIN.findall(" ".join(texts))) | {"zavuch", "help"}


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(("zavuch", *p)))
def test_every_help_screen_is_russian(monkeypatch, capsys, path: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[path]
    text = _help(monkeypatch, capsys, *path)
    assert text.startswith(f"Использование: {' '.join(('zavuch', *path))} [ПАРАМЕТРЫ]")
    assert "--help Показать эту справку и выйти." in " ".join(text.split())
    assert "Параметры:" in text
    foreign = set(LATIN.findall(text)) - _own_words(command) - set(LATIN.findall(" ".join(path)))
    assert foreign == set(), f"английские слова в справке: {sorted(foreign)}\n{text}"
    for english in ("Usage", "Options", "Commands", "Arguments", "Show this message", "<", "default", "required"):
        assert english not in text


def test_help_names_arguments_values_defaults_and_requirements_in_russian(monkeypatch, capsys) -> None:
    load = " ".join(_help(monkeypatch, capsys, "load").split())
    assert load.startswith("Использование: zavuch load [ПАРАМЕТРЫ] ПУТЬ ")
    assert "Аргументы: ПУТЬ Папка или .zip с файлами таблиц. [обязательный]" in load
    assert "--db ПУТЬ Файл хранилища DuckDB." in load
    metrics = " ".join(_help(monkeypatch, capsys, "metrics").split())
    assert "zavuch metrics [ПАРАМЕТРЫ] [ПОКАЗАТЕЛЬ]" in metrics
    assert "--format table|csv|json Вывод: table, csv или json. [по умолчанию: table]" in metrics
    assert "--from ДАТА Начало: ГГГГ-ММ-ДД." in metrics and "--grade ЧИСЛО Параллель 1–11." in metrics
    demo = " ".join(_help(monkeypatch, capsys, "demo").split())
    assert "--port ЧИСЛО Порт панели контроля. [по умолчанию: 8501; от 1 до 65535]" in demo
    assert "--no-serve Только создать" in demo
    evaluate = " ".join(_help(monkeypatch, capsys, "forecast", "evaluate").split())
    assert "[по умолчанию: да]" in evaluate and "True" not in evaluate
    user = " ".join(_help(monkeypatch, capsys, "user", "add").split())
    assert "zavuch user add [ПАРАМЕТРЫ] ЛОГИН" in user and "--name ТЕКСТ ФИО. [обязательный]" in user


def test_command_lists_show_each_commands_whole_first_paragraph(monkeypatch, capsys) -> None:
    top = " ".join(_help(monkeypatch, capsys).split())
    assert top.startswith("Использование: zavuch [ПАРАМЕТРЫ] КОМАНДА [ПАРАМЕТРЫ]... ")
    assert "Команды: demo Создать вымышленную демонстрационную школу" in top
    # click cut a command's line at its first full stop: «Реестр компрометации учётных записей ЭЖ (п.»
    assert "incident Реестр компрометации учётных записей ЭЖ (п. 4.3–4.4 регламента ведения ЭЖ)." in top
    user = " ".join(_help(monkeypatch, capsys, "user").split())
    assert "Команды: add Создать учётную запись; пароль запрашивается (пароля по умолчанию нет). list" in user


def test_no_arguments_prints_the_russian_help(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["zavuch", "archive"])
    with pytest.raises(SystemExit) as e:
        main()
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.startswith("Использование: zavuch archive [ПАРАМЕТРЫ] КОМАНДА")


# What the school's IT administrator runs: each shows whole command lines to copy.
ADMIN_COMMANDS = [("load",), ("import",), ("pull",), ("status",), ("archive", "keygen"), ("archive", "create"),
                  ("archive", "verify"), ("archive", "restore"), ("user", "add")]


@pytest.mark.parametrize("path", ADMIN_COMMANDS, ids=lambda p: " ".join(("zavuch", *p)))
def test_admin_commands_show_examples_that_parse_as_written(monkeypatch, capsys, path: tuple[str, ...]) -> None:
    """No help screen had an example: the admin had to assemble `archive create --to … --to …` from the
    option list. Each example is parsed by the command itself: its options exist, required ones are
    there, values convert."""
    command = dict(COMMANDS)[path]
    text = _help(monkeypatch, capsys, *path)
    heading = next((h for h in ("Примеры:", "Пример:") if h in text), None)
    assert heading, text
    lines = [line.strip() for line in text.split(heading, 1)[1].splitlines() if line.strip().startswith("zavuch ")]
    assert lines, text
    for line in lines:
        args = shlex.split(line)
        assert args[1:1 + len(path)] == list(path), line
        command.make_context(" ".join(("zavuch", *path)), args[1 + len(path):])  # raises on a bad example
