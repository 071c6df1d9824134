"""A TOML of documented defaults that a school overrides key by key (norms, document wording).

Unknown keys are refused rather than ignored: a misspelt norm silently keeping its default would change
a справка's findings without anyone noticing.
"""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import Any

from etl.school_files import read_toml


def merge_overrides(
    base: dict[str, Any], override: dict[str, Any], where: str, error: type[ValueError], doc: str
) -> dict[str, Any]:
    """`base` with `override` applied; every key of `override` must exist in `base`."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if key not in base:
            raise error(f"{where}: неизвестный параметр «{key}» (см. {doc})")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise error(f"{where}: «{key}» должен быть разделом [{key}]")
            out[key] = merge_overrides(base[key], value, f"{where}.{key}", error, doc)
        else:
            out[key] = value
    return out


def load_with_overrides(
    defaults: Path, override: str | os.PathLike[str] | None, error: type[ValueError], *, what: str, doc: str
) -> dict[str, Any]:
    """Defaults, merged with the school's file when one is given. `what` names the file in messages
    («файл норм»), `doc` says where the keys are documented."""
    with defaults.open("rb") as f:
        base = tomllib.load(f)
    if not override:
        return base
    p = Path(override)
    return merge_overrides(base, read_toml(p, str(p), what, error), str(p), error, doc)
