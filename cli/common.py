"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import getpass
import importlib
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import duckdb
import typer

from etl.norms import NormsError, load_norms
from etl.warehouse import (
    ENV_VAR,
    HOW_TO_CREATE,
    WarehouseMissing,
    check_readable,
    connect_readonly,
    missing_folder,
    resolve_db_path,
)

if TYPE_CHECKING:
    import polars as pl

# Each top-level command and the module whose `register(app)` adds it. Add both here to add a subcommand:
# `zavuch NAME` imports only NAME's module (tests/test_cli_startup.py checks this table against the modules).
COMMANDS: dict[str, str] = {
    "demo": "cli.demo", "load": "cli.load", "status": "cli.status", "metrics": "cli.metrics", "serve": "cli.serve",
    "spravka": "cli.spravka", "prikaz": "cli.spravka", "vedomost": "cli.spravka", "raspechatka": "cli.spravka",
    "import": "cli.import_cmd", "pull": "cli.pull", "archive": "cli.archive", "forecast": "cli.forecast", "user": "cli.user",
    "incident": "cli.user", "pismo": "cli.pismo",
}

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Файл хранилища DuckDB. По умолчанию $ZAVUCH_DB или data/zavuch.duckdb.",
        show_default=False,
    ),
]

EXIT_USAGE = 2  # unusable input: refused, nothing written
EXIT_INTERRUPTED = 130  # Ctrl+C, the code a shell gives a command it interrupted


def command_modules(argv: Sequence[str] | None = None) -> list[str]:
    """The modules to import for a command line: only the named command's, when `argv` starts with one; every
    module for `--help`, no arguments or a misspelt command (the help and click's suggestions list them all).
    A command that needs the forecast model or the PDF fonts then costs its own imports, not every other's
    (`zavuch status` 0.4 s instead of 2.2–2.7 s)."""
    named = COMMANDS.get(argv[0]) if argv else None
    return [named] if named else list(dict.fromkeys(COMMANDS.values()))


def import_command_module(name: str) -> ModuleType:
    return importlib.import_module(name)


def db_path(db: Path | None) -> Path:
    return resolve_db_path(db)


def refuse_missing_folder(path: Path, what: str) -> None:
    """Refuse (exit 2, nothing written) a path whose folder does not exist: a misspelt --db or $ZAVUCH_DB
    must not create folders and an empty store. Only the loading commands (load, import, pull, demo) may."""
    folder = missing_folder(path)
    if folder is not None:
        raise fail(f"{what} {path}: папки {folder} не существует. Проверьте путь --db или ${ENV_VAR}; "
                   f"{HOW_TO_CREATE}.")


def deck_warehouse(db: Path | None) -> Path:
    """The warehouse the deck opens: an existing one, or none yet in an existing folder (first setup: the
    deck's «Данные» page loads the first bundle). A misspelt path or a file that is no warehouse is refused."""
    path = db_path(db)
    if path.exists() or missing_folder(path) is not None:
        try:
            check_readable(path)
        except WarehouseMissing as e:
            raise fail(str(e)) from None
    return path


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a plain-language error to stderr and return the Exit to raise."""
    typer.secho(f"Ошибка: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def open_with_norms(db: Path | None, norms_file: Path | None) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """The school's norms and a read-only warehouse connection, or a plain refusal: the start of every
    command that computes figures."""
    try:
        norms = load_norms(norms_file)
        return connect_readonly(db_path(db)), norms
    except (NormsError, WarehouseMissing) as e:
        raise fail(str(e)) from None


def record_action(db: Path | None, action: str, **detail: object) -> None:
    """Append a command-line action to the audit log next to the warehouse (issue 8: every load and
    generated document is recorded), naming the operating-system user who ran it."""
    from access import audit, store  # the CLI's other commands do not need the access store

    with store.open_store(store.resolve_store_path(db)) as con:
        audit.record(con, f"cli:{getpass.getuser()}", action, **detail)


def record_students_shown(db: Path | None, command: str, rows: pl.DataFrame, **detail: object) -> None:
    """Rows about students that a command prints (`zavuch metrics NAME`, `zavuch forecast`) are children's
    personal data leaving the warehouse, as a download from the deck is: the log says who printed which (the
    director answers «who looked at my child's data» from it). Recorded before the rows are printed, so no
    such output goes unlogged; rows without students (teachers, classes) are not personal data of children."""
    if "student_id" not in rows.columns or rows.is_empty():
        return
    import sqlite3

    from access import store

    path = db_path(db)
    try:
        record_action(path, "export", command=command, rows=rows.height,
                      students=rows["student_id"].n_unique(), **{k: v for k, v in detail.items() if v is not None})
    except (OSError, sqlite3.Error) as e:
        raise fail(f"журнал действий {store.resolve_store_path(path)} недоступен для записи ({e}): строки об учениках "
                   "без записи в журнал не выводятся; запустите команду от имени владельца хранилища") from None


def json_text(data: object) -> str:
    """`data` as indented JSON for scripts: exact decimals as numbers (not strings), dates and times as text."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
