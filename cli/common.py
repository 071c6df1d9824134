"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import getpass
import importlib
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Annotated

import duckdb
import typer

from etl.norms import NormsError, load_norms
from etl.warehouse import WarehouseMissing, connect_readonly, resolve_db_path

# Subcommand modules, each with `register(app)`. Add a module here to add a subcommand.
COMMAND_MODULES: tuple[str, ...] = ("cli.demo", "cli.load", "cli.status", "cli.metrics", "cli.serve", "cli.spravka", "cli.import_cmd", "cli.pull", "cli.archive", "cli.forecast", "cli.user", "cli.pismo")

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Файл хранилища DuckDB. По умолчанию $ZAVUCH_DB или data/zavuch.duckdb.",
        show_default=False,
    ),
]

EXIT_USAGE = 2  # unusable input: refused, nothing written


def import_command_module(name: str) -> ModuleType:
    return importlib.import_module(name)


def db_path(db: Path | None) -> Path:
    return resolve_db_path(db)


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
