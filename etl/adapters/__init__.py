"""Source adapters: each maps one ЭЖ system's data into the canonical bundle (docs/adapters.md).

    adapter("elschool").read(path, ImportOptions()) -> Extract
    import_extract(extract, db) -> ImportResult      # bundle folder -> etl.loader.load_bundle
"""

from __future__ import annotations

import importlib

from etl.adapters.base import Adapter, AdapterError, Extract, ImportOptions, ImportResult, import_extract

# system name (as typed in `zavuch import SYSTEM`) -> "module:Class"
ADAPTERS: dict[str, str] = {
    "dnevnik_ru": "etl.adapters.dnevnik_ru:DnevnikRuAdapter",
    "kundelik_kz": "etl.adapters.dnevnik_ru:KundelikAdapter",
    "elschool": "etl.adapters.elschool:ElschoolAdapter",
    "eljur": "etl.adapters.eljur:EljurAdapter",
    "mesh": "etl.adapters.mesh:MeshAdapter",
    "netschool": "etl.adapters.netschool:NetSchoolAdapter",
    "sql": "etl.adapters.sql_source:SqlAdapter",
}

__all__ = ["ADAPTERS", "Adapter", "AdapterError", "Extract", "ImportOptions", "ImportResult", "adapter", "import_extract"]


def adapter(system: str) -> Adapter:
    """The adapter for `system`; AdapterError with the list of known systems otherwise."""
    try:
        module, cls = ADAPTERS[system].split(":")
    except KeyError:
        raise AdapterError(f"система «{system}» не поддерживается; доступны: {', '.join(ADAPTERS)}") from None
    return getattr(importlib.import_module(module), cls)()
