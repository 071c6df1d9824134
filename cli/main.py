"""`zavuch`: the console command. Each subcommand lives in its own module under cli/."""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence


def _interrupted_at_start(signum: int, frame: object) -> None:
    """Ctrl+C while the command's modules are imported (seconds on a school's PC): a plain sentence, not an
    import traceback; nothing has been read or written yet."""
    sys.stderr.write("\nПрервано (Ctrl+C) при запуске: команда не начата, ничего не записано.\n")
    raise SystemExit(130)


# Only where Ctrl+C would raise KeyboardInterrupt: a command started with SIGINT ignored (nohup, cron) keeps it so.
_GUARD_START = signal.getsignal(signal.SIGINT) is signal.default_int_handler
if _GUARD_START:
    signal.signal(signal.SIGINT, _interrupted_at_start)

import typer
from typer._click import exceptions as click_errors

from cli import common
from cli.help_ru import Typer
from cli.usage_errors import russian

if _GUARD_START:  # a command handles Ctrl+C itself (a load says what it left written)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def build_app(argv: Sequence[str] | None = None) -> Typer:
    """`zavuch` with every subcommand, or with only the one `argv` names (cli.common.command_modules)."""
    root = Typer(
        name="zavuch",
        help="Завуч: контроль ведения электронного журнала. Загрузка данных ЭЖ, показатели, справки.",
        no_args_is_help=True,
        add_completion=False,
    )
    root.callback()(_no_root_options)  # stays a group of commands when `argv` names only one
    for module in common.command_modules(argv):
        common.import_command_module(module).register(root)
    return root


def _no_root_options() -> None:
    pass


def __getattr__(name: str) -> Typer:
    """`cli.main.app`, every subcommand registered, built on first use: tests and tools drive it; the console
    script builds a leaner one for its own command line."""
    if name != "app":
        raise AttributeError(name)
    global app
    app = build_app()
    return app


def main() -> None:
    """The console script: as `app()`, but click's English usage errors are told in Russian (exit 2)."""
    args = sys.argv[1:]
    if _GUARD_START:  # importing the command's modules
        signal.signal(signal.SIGINT, _interrupted_at_start)
    command = build_app(args)
    if _GUARD_START:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = command(args, standalone_mode=False, prog_name="zavuch")
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
