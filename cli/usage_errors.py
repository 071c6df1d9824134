"""click's own usage errors (a missing option, a bad value, an unknown command) in Russian.

typer prints them in English («Missing option '--out'.»); the console script catches them and says the
same in Russian, with exit code 2, as every other refusal of `zavuch` does.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from typer._click import exceptions as click_errors  # what typer raises (it vendors click)

from cli.help_ru import annotation, argument_name


def _name(param: object | None) -> str:
    if param is None:
        return "параметра"
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    return argument_name(param)  # type: ignore[arg-type]


def _what_fits(param: object | None) -> str:
    """What the parameter accepts: its choices, range or kind of value."""
    ann = annotation(param)
    if isinstance(ann, type) and issubclass(ann, Enum):
        return "допустимо: " + ", ".join(str(m.value) for m in ann)
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"нужно целое число от {low} до {high}"
    if ann is int:
        return "нужно целое число"
    if ann is float:
        return "нужно число (с точкой: 0.5)"
    if ann is Path:
        return "путь не существует или не читается"
    return "значение не подходит"


def russian(e: click_errors.UsageError) -> str:
    """The error in plain Russian (its command's --help is named by the caller)."""
    if isinstance(e, click_errors.MissingParameter):
        return f"не указан обязательный параметр {_name(e.param)}"
    if isinstance(e, click_errors.BadParameter):
        return f"неверное значение {_name(e.param)}: {_what_fits(e.param)}"
    if isinstance(e, click_errors.NoSuchOption):
        maybe = f" (может быть, {', '.join(sorted(e.possibilities))}?)" if e.possibilities else ""
        return f"нет такого параметра: {e.option_name}{maybe}"
    if isinstance(e, click_errors.BadOptionUsage):
        return f"после {e.option_name} нужно значение"
    command = re.match(r"No such command '([^']+)'\.(?: Did you mean '([^']+)'\?)?", e.message)
    if command:
        maybe = f" (может быть, {command.group(2)}?)" if command.group(2) else ""
        return f"нет такой команды: {command.group(1)}{maybe}"
    extra = re.match(r"Got unexpected extra argument.*\((.+)\)$", e.message)
    if extra:
        return f"лишние слова в команде: {extra.group(1)}"
    return f"команда записана неверно ({e.message})"
