"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import getpass
import importlib
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Annotated

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


def json_text(data: object) -> str:
    """`data` as indented JSON for scripts: exact decimals as numbers (not strings), dates and times as text."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
