"""`zavuch`: the console command. Each subcommand lives in its own module under cli/."""

from __future__ import annotations

import typer

from cli import common

app = typer.Typer(
    name="zavuch",
    help="Завуч: контроль ведения электронного журнала. Загрузка данных ЭЖ, показатели, справки.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

for module in common.COMMAND_MODULES:
    common.import_command_module(module).register(app)


def main() -> None:
    app()
