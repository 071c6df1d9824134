"""`zavuch`: the console command. Each subcommand lives in its own module under cli/."""

from __future__ import annotations

import typer
from typer._click import exceptions as click_errors

from cli import common
from cli.help_ru import Typer
from cli.usage_errors import russian

app = Typer(
    name="zavuch",
    help="Завуч: контроль ведения электронного журнала. Загрузка данных ЭЖ, показатели, справки.",
    no_args_is_help=True,
    add_completion=False,
)

for module in common.COMMAND_MODULES:
    common.import_command_module(module).register(app)


def main() -> None:
    """The console script: as `app()`, but click's English usage errors are told in Russian (exit 2)."""
    try:
        code = app(standalone_mode=False, prog_name="zavuch")
    except click_errors.NoArgsIsHelpError as e:
        typer.echo(e.ctx.get_help() if e.ctx else "", err=True)
        raise SystemExit(2) from None
    except click_errors.UsageError as e:
        typer.secho(f"Ошибка: {russian(e)}", fg=typer.colors.RED, err=True)
        typer.echo(f"Справка: {e.ctx.command_path if e.ctx else 'zavuch'} --help", err=True)
        raise SystemExit(2) from None
    except click_errors.ClickException as e:  # typer's other errors, printed by standalone mode
        typer.secho(f"Ошибка: {e.format_message()}", fg=typer.colors.RED, err=True)
        raise SystemExit(e.exit_code) from None
    except typer.Abort:  # Ctrl+C or end of input at a prompt
        typer.echo("\nПрервано.", err=True)
        raise SystemExit(1) from None
    # without standalone mode typer returns the code of a typer.Exit (or the command's None)
    raise SystemExit(code if isinstance(code, int) and not isinstance(code, bool) else 0)
