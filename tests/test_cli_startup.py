"""`zavuch NAME` imports only NAME's module: every command used to import every subcommand's module, so
`zavuch status` waited 2.2–2.7 s (7 s on a busy PC) for the forecast model (scikit-learn) and the PDF fonts."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from cli import common
from cli.help_ru import Typer


def _registered(module: str) -> set[str]:
    root = Typer()
    common.import_command_module(module).register(root)
    root.command("_")(lambda: None)  # a group of one command would collapse into that command
    return set(typer.main.get_command(root).commands) - {"_"}  # type: ignore[attr-defined]


def test_the_command_table_names_what_each_module_registers() -> None:
    modules = set(common.COMMANDS.values())
    registered = {name: module for module in modules for name in _registered(module)}
    assert registered == common.COMMANDS


@pytest.mark.parametrize(("argv", "modules"), [
    (["status", "--db", "w.duckdb"], ["cli.status"]),
    (["vedomost", "--period", "p1"], ["cli.spravka"]),
    (["incident", "add"], ["cli.user"]),
])
def test_a_named_command_imports_its_module_only(argv: list[str], modules: list[str]) -> None:
    assert common.command_modules(argv) == modules


@pytest.mark.parametrize("argv", [[], ["--help"], ["statsu"]])
def test_help_and_a_misspelt_command_import_every_module(argv: list[str]) -> None:
    """The root help lists every command, and click suggests «status» for «statsu» only if it knows it."""
    assert common.command_modules(argv) == list(dict.fromkeys(common.COMMANDS.values()))


PROBE = """
import sys
sys.argv = ["zavuch", *{args!r}]
from cli.main import main
try:
    main()
except SystemExit:
    pass
print("HEAVY:", sorted(m for m in ("sklearn", "fpdf", "streamlit") if m in sys.modules), file=sys.stderr)
"""


def _heavy_imports(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True,
                          timeout=120, check=False)
    return done.stderr.strip().splitlines()[-1]


def test_status_starts_without_the_forecast_model_and_the_pdf_fonts() -> None:
    assert _heavy_imports("status", "--help") == "HEAVY: []"
    assert _heavy_imports("pismo", "--help") == "HEAVY: ['fpdf', 'sklearn']"
