"""Завуч query layer: every number of semester control, as named metrics over a scope.

    queries.catalog() -> list[MetricInfo]
    queries.run(con, name, scope, norms=None) -> polars.DataFrame
    queries.teacher_scorecard(con, scope, norms=None) -> polars.DataFrame
    queries.period_summary(con, scope, norms=None) -> polars.DataFrame
    queries.invalid_entries_summary(con, scope, norms=None) -> InvalidEntries (regulation 4.4)
    queries.known(con, kind, id) -> bool        is the school, class, period, … named in the warehouse
    queries.school_of(con, school_id) -> str   the school named, else the warehouse's only one

`con` is a DuckDB connection whose default catalog is the warehouse (etl.warehouse.connect_readonly).
"""

from __future__ import annotations

from queries.invalid_entries import InvalidEntries, invalid_entries_summary
from queries.registry import FAMILIES, METRICS, MetricInfo
from queries.runner import UnknownMetric, run
from queries.scope import LEVELS, Scope, ScopeError, known, school_of
from queries.scorecard import period_summary, teacher_scorecard


def catalog() -> list[MetricInfo]:
    """Every metric: name, Russian title, family, regulation clause, description."""
    return list(METRICS)


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
    "period_summary",
    "run",
    "school_of",
    "teacher_scorecard",
]
