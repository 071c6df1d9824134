"""Завуч query layer: every number of semester control, as named metrics over a scope.

    queries.catalog(norms=None) -> list[MetricInfo]
    queries.run(con, name, scope, norms=None) -> polars.DataFrame
    queries.teacher_scorecard(con, scope, norms=None) -> polars.DataFrame
    queries.period_summary(con, scope, norms=None) -> polars.DataFrame
    queries.invalid_entries_summary(con, scope, norms=None) -> InvalidEntries (regulation 4.4)
    queries.known(con, kind, id) -> bool        is the school, class, period, … named in the warehouse
    queries.not_found(con, kind, text) -> str  the refusal of an unknown id, offering the ids of that name
    queries.school_of(con, school_id) -> str   the school named, else the warehouse's only one

`con` is a DuckDB connection whose default catalog is the warehouse (etl.warehouse.connect_readonly).
"""

from __future__ import annotations

from typing import Any

from etl.norms import load_norms
from queries.invalid_entries import InvalidEntries, invalid_entries_summary
from queries.registry import FAMILIES, METRICS, MetricInfo
from queries.runner import UnknownMetric, run
from queries.scope import LEVELS, Scope, ScopeError, known, not_found, school_of
from queries.scorecard import period_summary, teacher_scorecard


def catalog(norms: dict[str, Any] | None = None) -> list[MetricInfo]:
    """Every metric: name, Russian title, family, regulation clause, description; the figures in titles and
    descriptions are the school's `norms` (default: etl/norms.toml)."""
    norms = norms if norms is not None else load_norms()
    return [m.worded(norms) for m in METRICS]


__all__ = [
    "FAMILIES",
    "InvalidEntries",
    "LEVELS",
    "MetricInfo",
    "Scope",
    "ScopeError",
    "UnknownMetric",
    "catalog",
    "invalid_entries_summary",
    "known",
    "not_found",
    "period_summary",
    "run",
    "school_of",
    "teacher_scorecard",
]
