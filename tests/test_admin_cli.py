"""The school IT administrator's paths through `zavuch`: load, interrupt, archive, restore, status."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
import xlsxwriter
from rich.console import Console
from typer.testing import CliRunner

import cli.load as load_cmd
from cli.main import app
from etl.loader import HOLD_ENV, load_bundle
from etl.swap import work_dir_for
from tests.load_fixtures import ROOT, T0, query, school, table_frame, write_bundle

ZAVUCH = Path(sys.executable).with_name("zavuch")
PERIODS = [{"id": "S1-1", "school_id": "S1", "academic_year_id": "Y1", "name": "1 четверть", "kind": "quarter",
            "number": "1", "start_date": "2025-09-01", "end_date": "2025-10-24", "grade_from": "1", "grade_to": "11"}]


def _zavuch(*args: str, env: dict[str, str] | None = None, prefix: str = "") -> subprocess.Popen[str]:
    """The real console script as a person starts it from a terminal (Ctrl+C raises KeyboardInterrupt);
    `prefix`: Python run first in the same process."""
    terminal = "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)"  # as if not started by pytest
    code = f"{terminal}\n{prefix}\nimport runpy, sys\nsys.argv = {['zavuch', *args]!r}\nrunpy.run_path({str(ZAVUCH)!r}, run_name='__main__')"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "160", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_ctrl_c_during_a_load_says_nothing_was_written(tmp_path: Path) -> None:
    """Ctrl+C in `zavuch load` ended it with exit code 130 and not a word, under progress bars that all read
    full: the admin could not tell whether the batch was in. Now the load says it was not, and it was not."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    changed = school()
    changed["marks"][0]["value"] = "3"
    proc = _zavuch("load", str(write_bundle(tmp_path / "v2", changed)), "--db", str(db), env={HOLD_ENV: "60"})
    deadline = time.monotonic() + 120
    while not (work_dir_for(db) / "warehouse.duckdb").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(1.0)  # inside the load's transaction (the hold waits before COMMIT)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (f"Ошибка: загрузка прервана (Ctrl+C): ничего не записано, хранилище {db} прежнее "
                                    "(последняя партия № 1).")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert query(db, "SELECT value_raw FROM marks WHERE id = 'K1'") == [("5",)]
    assert not work_dir_for(db).exists()


# Sends Ctrl+C to itself when the command starts importing its modules (typer, then every subcommand).
CTRL_C_AT_IMPORT = """
import builtins, os, signal
_import = builtins.__import__
def _at_import(name, *args, **kwargs):
    if name == "typer":
        os.kill(os.getpid(), signal.SIGINT)
    return _import(name, *args, **kwargs)
builtins.__import__ = _at_import
"""


def test_ctrl_c_while_the_command_starts_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    """The command takes seconds to start on a school PC; Ctrl+C then printed a 30-line Python traceback
    (KeyboardInterrupt inside fontTools or scipy)."""
    proc = _zavuch("status", "--db", str(tmp_path / "w.duckdb"), prefix=CTRL_C_AT_IMPORT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "Traceback" not in err and out == ""
    assert err.strip() == "Прервано (Ctrl+C) при запуске: команда не начата, ничего не записано."


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
    # restore into a folder that cannot be: a Python traceback (FileExistsError) before, a refusal now
    (tmp_path / "not-a-folder").write_text("")
    refused = runner.invoke(app, ["archive", "restore", str(copies[1]), "--db", str(tmp_path / "not-a-folder" / "w.duckdb")])
    assert refused.exit_code == 2, refused.output
    assert " ".join(refused.output.split()) == (
        f"Ошибка: хранилище {tmp_path / 'not-a-folder' / 'w.duckdb'}: в папке {tmp_path / 'not-a-folder'} нельзя "
        f"записать файлы загрузки: {tmp_path / 'not-a-folder'} — файл, а не папка. Укажите --db в папке, где у вас "
        "есть право записи (рядом с хранилищем создаются рабочая папка и файл блокировки)")
    restored = tmp_path / "restored.duckdb"
    back = runner.invoke(app, ["archive", "restore", str(copies[1]), "--db", str(restored), "--pubkey", f"{key}.pub"])
    assert back.exit_code == 0, back.output
    assert query(restored, "SELECT id, value_raw FROM marks ORDER BY id") == [("K1", "5"), ("K2", "4-"), ("K3", "3"), ("K4", "н/а")]


def test_status_tells_which_archives_were_made_and_where_a_warehouse_came_from(tmp_path: Path) -> None:
    """`zavuch archive create` left no trace in the audit log (the deck's archive did), and `zavuch status`
    said nothing of archives: the admin could not see whether this year's two copies exist, nor that a
    warehouse was a restored one."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "bundle", school() | {"periods": PERIODS}), db, now=T0)
    runner = CliRunner()
    key = tmp_path / "school.key"
    runner.invoke(app, ["archive", "keygen", "--out", str(key)])
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    made = runner.invoke(app, ["archive", "create", "--db", str(db), "--key", str(key), "--year", "2025/2026",
                               "--to", str(tmp_path / "a"), "--to", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    name = next((tmp_path / "a").iterdir()).name
    st = json.loads(runner.invoke(app, ["status", "--db", str(db), "--json"]).stdout)
    assert [(a["year"], a["name"], a["copies"], a["failures"], a["login"]) for a in st["archives"]] == [
        ("2025/2026", name, [str(tmp_path / "a" / name), str(tmp_path / "b" / name)], 0, f"cli:{getpass.getuser()}")]
    assert st["restored"] == []
    text = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "400"}).stdout
    assert (f"Архив года 2025/2026: {name}, создан {st['archives'][0]['at'][8:10]}.{st['archives'][0]['at'][5:7]}."
            f"{st['archives'][0]['at'][:4]} {st['archives'][0]['at'][11:16]} (cli:{getpass.getuser()}); "
            f"копий записано и проверено: 2 ({tmp_path / 'a' / name}, {tmp_path / 'b' / name})") in text

    restored = tmp_path / "restored" / "w.duckdb"
    assert runner.invoke(app, ["archive", "restore", str(tmp_path / "b" / name), "--db", str(restored)]).exit_code == 0
    st = json.loads(runner.invoke(app, ["status", "--db", str(restored), "--json"]).stdout)
    assert [r["archive"] for r in st["restored"]] == [name]
    assert st["archives"] == []  # the restored warehouse's own log is new
    text = runner.invoke(app, ["status", "--db", str(restored)], env={"COLUMNS": "400"}).stdout
    assert f"Хранилище восстановлено из архива {name} " in text
    assert "Архив года: в журнале действий рядом с хранилищем записей о нём нет" in text


def _load(bundle: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
    return subprocess.run([str(ZAVUCH), "load", str(bundle), "--db", str(db)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def _marks_workbook(path: Path, sheets: list[tuple[str, str | None, slice | None]]) -> None:
    """marks.xlsx with sheets (name, a merged title row above the header or None, the marks rows it holds);
    a sheet with no rows (None) is an instruction sheet of plain text."""
    header, body = table_frame("marks", school()["marks"])
    wb = xlsxwriter.Workbook(path)
    for name, title, rows in sheets:
        ws = wb.add_worksheet(name)
        if rows is None:
            ws.write(0, 0, "Заполните лист с отметками: по строке на отметку")
            continue
        top = 0
        if title:
            ws.merge_range(0, 0, 0, len(header) - 1, title)
            top = 1
        ws.write_row(top, 0, header)
        for i, row in enumerate(body[rows], start=top + 1):
            ws.write_row(i, 0, row)
    wb.close()


WORKBOOKS = {
    # an instruction sheet first: the message said «строка 1: нет обязательного столбца» of a file whose
    # table is plainly there, on the second sheet
    "instructions_first": ([("Инструкция", None, None), ("Отметки", None, slice(None))],
                           ("; читается первый лист книги («Инструкция»); таблица найдена на листе «Отметки» "
                            "(строка 1): сделайте этот лист первым")),
    # a merged title row above the header
    "title_row": ([("Отметки", "Отметки 5А, сентябрь", slice(None))],
                  "; названия столбцов найдены в строке 2: удалите строки над ними, заголовок должен быть в строке 1"),
}


@pytest.mark.parametrize("case", WORKBOOKS)
def test_xlsx_whose_header_is_not_row_1_of_sheet_1_is_pointed_to(tmp_path: Path, case: str) -> None:
    sheets, hint = WORKBOOKS[case]
    bundle = write_bundle(tmp_path / "bundle", {k: v for k, v in school().items() if k != "marks"})
    _marks_workbook(bundle / "marks.xlsx", sheets)
    r = _load(bundle, tmp_path / "w.duckdb")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-2] == (
        "Ошибка: marks.xlsx, строка 1: нет обязательного столбца: id (или «ИД», «Идентификатор», «Код», «ID»); "
        "student_id (или «Ученик»); lesson_id (или «Урок»); value (или «Отметка», «Оценка»)" + hint)
    assert r.stderr.splitlines()[-1] == "Ничего не записано."
    assert not (tmp_path / "w.duckdb").exists()


def test_xlsx_with_the_table_on_two_sheets_is_refused_not_halved(tmp_path: Path) -> None:
    """Marks of September on sheet 1 and of October on sheet 2: only sheet 1 was loaded, without a word."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    bundle = write_bundle(tmp_path / "bundle", {k: v for k, v in school().items() if k != "marks"})
    _marks_workbook(bundle / "marks.xlsx", [("Сентябрь", None, slice(0, 2)), ("Октябрь", None, slice(2, None))])
    r = _load(bundle, db)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-2:] == [
        ("Ошибка: marks.xlsx: таблица есть и на листе «Октябрь», а загружается только первый лист («Сентябрь»): "
         "перенесите все строки на первый лист или удалите лишний лист"),
        "Ничего не записано.",
    ]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_folder_named_like_a_table_file_is_refused_not_skipped(tmp_path: Path) -> None:
    """An unpacked «homework.csv» folder was skipped: the bundle loaded without homework and said nothing."""
    bundle = write_bundle(tmp_path / "bundle", school())
    (bundle / "homework.csv").unlink()
    (bundle / "homework.csv").mkdir()
    (bundle / "homework.csv" / "homework.csv").write_text("id;lesson_id;text\nH1;L1;№ 12\n", encoding="utf-8")
    r = _load(bundle, tmp_path / "w.duckdb")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-2:] == [
        "Ошибка: homework.csv: это папка, а не файл таблицы; положите на её место сам файл homework.csv",
        "Ничего не записано.",
    ]
    assert not (tmp_path / "w.duckdb").exists()


def test_a_warehouse_where_nothing_may_be_written_is_refused_in_words(tmp_path: Path) -> None:
    """--db in a read-only folder (a read-only disk, another user's folder) or under a file: `zavuch load`
    printed a Python traceback (OSError from the lock file, FileExistsError) and exit code 1."""
    (tmp_path / "note.txt").write_text("")
    db = tmp_path / "note.txt" / "zavuch.duckdb"
    r = _load(write_bundle(tmp_path / "bundle", school()), db)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines()[-2:] == [
        (f"Ошибка: хранилище {db}: в папке {db.parent} нельзя записать файлы загрузки: {db.parent} — файл, а не "
         "папка. Укажите --db в папке, где у вас есть право записи (рядом с хранилищем создаются рабочая папка и "
         "файл блокировки)"),
        "Ничего не записано.",
    ]
    assert (tmp_path / "note.txt").read_text() == ""


def test_ctrl_c_inside_a_duckdb_query_is_the_same_interruption(tmp_path: Path, monkeypatch) -> None:
    """Ctrl+C that lands in a DuckDB query reaches Python as DuckDB 2.0's RuntimeError('Query interrupted'),
    not as KeyboardInterrupt: the load ended in a traceback (seen when the machine was slow enough for the
    signal to arrive before the load's last step). It is the same interruption, said the same way."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)

    def interrupted_query(*args, **kwargs):
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(load_cmd, "load_bundle", interrupted_query)
    with pytest.raises(typer.Exit) as exit_:
        load_cmd.run_load(write_bundle(tmp_path / "v2", school()), db, Console(stderr=True))
    assert exit_.value.exit_code == 130
    # any other RuntimeError is no interruption and is not passed off as one
    monkeypatch.setattr(load_cmd, "load_bundle", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("диск полон")))
    with pytest.raises(RuntimeError, match="диск полон"):
        load_cmd.run_load(write_bundle(tmp_path / "v3", school()), db, Console(stderr=True))
