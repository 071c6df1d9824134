"""The school's norms: one TOML of documented defaults (etl/norms.toml), overridable per school.

Lives in `etl` because the loader needs the plausibility norm; the query layer reads the same object.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from etl.toml_overrides import load_with_overrides

DEFAULTS_PATH = Path(__file__).with_name("norms.toml")
ENV_VAR = "ZAVUCH_NORMS"


class NormsError(ValueError):
    """A school's norms file is unreadable or names a key that does not exist."""


def load_norms(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Defaults merged with the school's file (argument, else $ZAVUCH_NORMS, else none)."""
    return load_with_overrides(DEFAULTS_PATH, path or os.environ.get(ENV_VAR), NormsError,
                               what="файл норм", doc="docs/norms.md")
