"""The school's wording for справка and приказ: reports/templates.toml, optionally overridden by a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl.toml_overrides import load_with_overrides

DEFAULTS_PATH = Path(__file__).with_name("templates.toml")


class TemplatesError(ValueError):
    """The school's templates file is unreadable or names a key that does not exist."""


def load_templates(path: str | Path | None = None) -> dict[str, Any]:
    return load_with_overrides(DEFAULTS_PATH, path, TemplatesError, what="файл шаблонов",
                               doc="reports/templates.toml")
