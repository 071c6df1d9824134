"""Shared by the adapter round trips (tests/test_adapters_mesh.py, tests/test_adapters_dnevnik.py): the
demo bundle's rows, source-style ids with the way back, and the metrics of two loads side by side."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl.warehouse import connect_readonly
from queries import Scope, run

SCOPE = Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2026, 5, 31), as_of=dt.date(2026, 5, 31))


@dataclass
class Ids:
    """Source-system integer ids for canonical ids, and the way back from the adapter's prefixed ids.

    `base` is added to every id (Дневник.ру ids are 64-bit); the adapter's id is
    '<system>:<kind>:<n>', or '<system>:<n>' when the kind is ''.
    """

    system: str
    base: int = 0
    back: dict[str, str] = field(default_factory=dict)
    _n: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def __call__(self, kind: str, canonical: str | None, adapter_kind: str | None = None) -> int | None:
        if canonical is None:
            return None
        table = self._n[kind]
        if canonical not in table:
            table[canonical] = self.base + 1_000_000 * (list(self._n).index(kind) + 1) + len(table) + 1
            name = kind if adapter_kind is None else adapter_kind
            self.back[":".join([self.system, *([name] if name else []), str(table[canonical])])] = canonical
        return table[canonical]


def bundle_rows(bundle: Path, table: str) -> list[dict[str, Any]]:
    """A bundle table as dicts of strings (None for empty cells)."""
    return pl.read_csv(bundle / f"{table}.csv", infer_schema=False).to_dicts()


def metrics(db: Path, names: Iterable[str], back: dict[str, str] | None = None,
            adjust: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] | None = None) -> dict[str, pl.DataFrame]:
    """Each metric over SCOPE, `adjust`ed, ids mapped `back` to the canonical ones, rows in a fixed order."""
    con = connect_readonly(db)
    try:
        out = {n: run(con, n, SCOPE) for n in names}
    finally:
        con.close()
    for name, df in out.items():
        if adjust and name in adjust:
            df = adjust[name](df)
        if back is not None:
            df = df.with_columns(
                [pl.col(c).replace(back) for c, t in df.schema.items() if t == pl.String]
                + [pl.col(c).list.eval(pl.element().replace(back)) for c, t in df.schema.items() if t == pl.List(pl.String)])
        out[name] = df.sort(df.columns, nulls_last=True)
    return out


def differing(canonical: dict[str, pl.DataFrame], imported: dict[str, pl.DataFrame]) -> list[str]:
    """Names of the metrics whose rows differ between the two loads."""
    return [name for name, expected in canonical.items() if not imported[name].equals(expected)]
