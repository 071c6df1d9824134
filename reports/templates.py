"""The school's wording for справка and приказ: reports/templates.toml, optionally overridden by a file."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

DEFAULTS_PATH = Path(__file__).with_name("templates.toml")


class TemplatesError(ValueError):
    """The school's templates file is unreadable or names a key that does not exist."""


def _merge(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if key not in base:
            raise TemplatesError(f"{where}: неизвестный параметр «{key}» (см. reports/templates.toml)")
        out[key] = _merge(base[key], value, f"{where}.{key}") if isinstance(base[key], dict) else value
    return out


def load_templates(path: str | Path | None = None) -> dict[str, Any]:
    with DEFAULTS_PATH.open("rb") as f:
        templates = tomllib.load(f)
    if path is None:
        return templates
    p = Path(path)
    try:
        with p.open("rb") as f:
            return _merge(templates, tomllib.load(f), str(p))
    except FileNotFoundError:
        raise TemplatesError(f"{p}: файл шаблонов не найден") from None
    except tomllib.TOMLDecodeError as e:
        raise TemplatesError(f"{p}: ошибка в файле шаблонов: {e}") from None
