"""Every `--help` of `zavuch` in plain Russian text.

typer's help is English framework text («Usage:», «Options», «Show this message and exit.», «[required]»,
type tags such as «<bool>») around our Russian descriptions; a school's IT admin reads one language. The
commands and groups here are typer's own classes with the click hooks that write the help overridden
(`format_usage`, `format_options`, `format_commands`, `get_help_option`), chosen through typer's `cls`;
`Typer` below makes them the default for every command of the app.
"""

from __future__ import annotations

import inspect
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from typer._click import Context, HelpFormatter, Parameter  # the click typer vendors (see usage_errors)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

USAGE_PREFIX = "Использование: "
OPTIONS_PLACEHOLDER = "[ПАРАМЕТРЫ]"
COMMAND_PLACEHOLDER = "КОМАНДА [ПАРАМЕТРЫ]..."
HELP_OPTION_TEXT = "Показать эту справку и выйти."

# What a value of each annotated type is called in the help, where the parameter names no metavar.
VALUE_NAMES: dict[type, str] = {Path: "ПУТЬ", int: "ЧИСЛО", float: "ЧИСЛО", str: "ТЕКСТ"}


def annotation(param: object | None) -> object:
    """The Python type typer read from the parameter's annotation, `X | None` and `list[X]` unwrapped."""
    ann = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if typing.get_origin(ann) in (list, tuple):
        ann = typing.get_args(ann)[0]
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if len(args) == 1:
        ann = args[0]
    if typing.get_origin(ann) in (list, tuple):
        ann = typing.get_args(ann)[0]
    return ann


def argument_name(param: Parameter) -> str:
    """How the help and the usage errors name a positional argument: its metavar, else its name in capitals."""
    return param.metavar or str(param.name or "").upper()


def _value_name(param: TyperOption) -> str:
    """The placeholder after an option that takes a value: its metavar, its choices or its kind."""
    if param.metavar:
        return param.metavar
    ann = annotation(param)
    if isinstance(ann, type) and issubclass(ann, Enum):
        return "|".join(str(m.value) for m in ann)
    return VALUE_NAMES.get(ann, "ЗНАЧЕНИЕ") if isinstance(ann, type) else "ЗНАЧЕНИЕ"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def _notes(param: TyperOption | TyperArgument) -> list[str]:
    """The bracketed notes after a parameter's description: default, range, environment variable, required."""
    notes = []
    if isinstance(param.show_default, str):
        notes.append(f"по умолчанию: {param.show_default}")
    elif param.show_default and not callable(param.default) and param.default not in (None, (), []) \
            and not (getattr(param, "is_flag", False) and not param.default):
        notes.append(f"по умолчанию: {_shown(param.default)}")
    low, high = param.min, param.max
    if low is not None and high is not None:
        notes.append(f"от {low} до {high}")
    elif low is not None:
        notes.append(f"не меньше {low}")
    elif high is not None:
        notes.append(f"не больше {high}")
    if param.envvar and param.show_envvar:
        names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar)
        notes.append("переменная окружения: " + ", ".join(names))
    if param.required:
        notes.append("обязательный")
    return notes


def _record(param: Parameter) -> tuple[str, str]:
    """One row of the parameters' list: how to write the parameter, and what it does."""
    if isinstance(param, TyperArgument):
        name = argument_name(param) + ("..." if param.nargs != 1 else "")
    else:
        name = ", ".join(param.opts + param.secondary_opts)
        if not getattr(param, "is_flag", False):
            name += f" {_value_name(param)}"
    text = getattr(param, "help", None) or ""
    if isinstance(param, (TyperArgument, TyperOption)):
        notes = _notes(param)
        if notes:
            text = f"{text}  [{'; '.join(notes)}]" if text else f"[{'; '.join(notes)}]"
    return name, text


class _RussianHelp:
    """The click hooks that write a command's help, in Russian; mixed into typer's command and group."""

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [OPTIONS_PLACEHOLDER]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, TyperArgument):
                name = argument_name(param) + ("..." if param.nargs != 1 else "")
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        params = [p for p in self.get_params(ctx) if not getattr(p, "hidden", False)]  # type: ignore[attr-defined]
        arguments = [_record(p) for p in params if isinstance(p, TyperArgument)]
        options = [_record(p) for p in params if not isinstance(p, TyperArgument)]
        if arguments:
            with formatter.section("Аргументы"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Параметры"):
                formatter.write_dl(options)


class RussianCommand(_RussianHelp, TyperCommand):
    """A `zavuch` subcommand whose help is Russian."""


class RussianGroup(_RussianHelp, TyperGroup):
    """A `zavuch` command with subcommands whose help is Russian."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), COMMAND_PLACEHOLDER]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = []  # each command's whole first paragraph: click's cut at the first «.» made «(п.» of «п. 4.3»
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.short_help or inspect.cleandoc(command.help or "").split("\n\n")[0]))
        if rows:
            with formatter.section("Команды"):
                formatter.write_dl(rows)


class Typer(typer.Typer):
    """typer.Typer whose commands and groups print their help in plain Russian (no rich panels)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", RussianGroup)
        kwargs.setdefault("rich_markup_mode", None)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", RussianCommand)
        return super().command(*args, **kwargs)


def examples(*commands: str) -> str:
    """A command's epilog: whole command lines an admin can copy, kept unwrapped (click's «\\b» paragraph);
    tests/test_cli_help.py parses every one against the command's own parameters."""
    title = "Пример:" if len(commands) == 1 else "Примеры:"
    return f"{title}\n\n\b\n" + "\n".join(f"  {c}" for c in commands)

