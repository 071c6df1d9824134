"""The school's norms: one TOML of documented defaults (etl/norms.toml), overridable per school.

Lives in `etl` because the loader needs the plausibility norm; the query layer reads the same object.
"""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import Any

DEFAULTS_PATH = Path(__file__).with_name("norms.toml")
ENV_VAR = "ZAVUCH_NORMS"


class NormsError(ValueError):
    """A school's norms file is unreadable or names a key that does not exist."""


def _merge(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if key not in base:
            raise NormsError(f"{where}: неизвестный параметр «{key}» (см. docs/norms.md)")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise NormsError(f"{where}: «{key}» должен быть разделом [{key}]")
            out[key] = _merge(base[key], value, f"{where}.{key}")
        else:
            out[key] = value
    return out


def load_norms(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Defaults merged with the school's file (argument, else $ZAVUCH_NORMS, else none)."""
    with DEFAULTS_PATH.open("rb") as f:
        norms = tomllib.load(f)
    path = path or os.environ.get(ENV_VAR)
    if not path:
        return norms
    p = Path(path)
    try:
        with p.open("rb") as f:
            override = tomllib.load(f)
    except FileNotFoundError as e:
        raise NormsError(f"{p}: файл норм не найден") from e
    except tomllib.TOMLDecodeError as e:
        raise NormsError(f"{p}: ошибка в файле норм: {e}") from e
    return _merge(norms, override, str(p))
