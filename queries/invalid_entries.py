"""How many journal entries of a scope are invalid under regulation 4.4 (made by an account after its
compromise was reported), for the warnings of the deck and the notes of the documents.

The entries themselves are the metric `entry_after_compromise`; every other metric already leaves them
out. This only counts that metric's rows, so the deck and the documents never compute the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from queries.access import FULL, Access
from queries.runner import run
from queries.scope import Scope

METRIC = "entry_after_compromise"
# Entry kinds in the order the warnings name them (the metric's `kind` values).
KINDS: tuple[str, ...] = ("отметка", "тема", "посещаемость", "домашнее задание", "итоговая отметка")


@dataclass(frozen=True)
class InvalidEntries:
    """Invalid entries of one scope: how many, of which kinds, by which compromised accounts."""

    total: int
    by_kind: dict[str, int]  # kind → entries, only kinds present, in KINDS order
    accounts: tuple[str, ...]  # person ids of the compromised accounts, sorted
    classes: tuple[str, ...]  # classes whose lessons or period marks hold them, sorted

    def __bool__(self) -> bool:
        return self.total > 0


def summarise(entries: pl.DataFrame) -> InvalidEntries:
    """The summary of rows of `entry_after_compromise` (already run, e.g. by a document's findings)."""
    counts = dict(entries.group_by("kind").len().iter_rows()) if entries.height else {}
    return InvalidEntries(
        total=entries.height,
        by_kind={k: counts[k] for k in KINDS if counts.get(k)},
        accounts=tuple(sorted(set(entries["teacher_id"].drop_nulls()))) if entries.height else (),
        classes=tuple(sorted(set(entries["class_id"].drop_nulls()))) if entries.height else (),
    )


def invalid_entries_summary(con: duckdb.DuckDBPyConnection, scope: Scope, norms: dict[str, Any] | None = None,
                            access: Access = FULL) -> InvalidEntries:
    """The invalid entries inside `scope` (and inside `access`): the number a page or document warns of."""
    return summarise(run(con, METRIC, scope, norms, access=access))
