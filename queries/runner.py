"""Runs a named metric: resolves the scope, binds scope and norms as named parameters, returns Polars."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import duckdb
import polars as pl

from etl.merge import sql_file
from etl.norms import NormsError, load_norms
from queries import bases
from queries.access import FULL, Access, connection, guard
from queries.norm_params import norm_params
from queries.registry import BY_NAME, SQL_DIR, MetricInfo
from queries.scope import ResolvedScope, Scope, resolve

_PARSE_MARK = sql_file("parse_mark.sql")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


class UnknownMetric(KeyError):
    """No metric of that name in the catalogue."""

    def __str__(self) -> str:
        return f"показатель «{self.args[0]}» не существует; список: zavuch metrics"


@cache
def metric_sql(path_name: str) -> tuple[str, tuple[str, ...]]:
    """A metric's SQL text and the parameter names it uses (comments do not count)."""
    text = (SQL_DIR / f"{path_name}.sql").read_text(encoding="utf-8")
    names = tuple(dict.fromkeys(_PARAM.findall(_COMMENT.sub("", text))))
    return text, names


def ensure_setup(con: duckdb.DuckDBPyConnection) -> None:
    """Create the shared TEMP macros on this connection (temp objects live per connection), and the
    loader's grammar of a mark as written (etl/sql/parse_mark.sql): a mark's earlier value kept in
    mark_events is read by the same rule that parsed the mark when it was loaded."""
    con.execute(_PARSE_MARK)
    con.execute(metric_sql("_setup")[0])


def metric(name: str) -> MetricInfo:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownMetric(name) from None


def bind(resolved: ResolvedScope, norms: dict[str, Any]) -> dict[str, Any]:
    """All values a metric may ask for: the scope's and the norms'."""
    try:
        values = norm_params(norms)
    except (KeyError, TypeError, ValueError) as e:
        raise NormsError(f"нормы заданы неверно: {e}") from e
    return {**resolved.params(), **values}


def run_resolved(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any],
                 access: Access = FULL) -> pl.DataFrame:
    """Run one metric with already bound parameters (used to run a whole pack on one resolution); the
    shared bases it reads are built first, or reused when already built for these values (queries.bases).
    Only rows inside `access` (or the access `con` already enforces) come back (queries.access)."""
    con = connection(con, access)
    text, names = metric_sql(metric(name).name)
    return execute_sql(con, text, {n: values[n] for n in names}, values)


def execute_sql(con: duckdb.DuckDBPyConnection, text: str, params: dict[str, Any],
                values: dict[str, Any]) -> pl.DataFrame:
    """Run a query-layer SQL text: the macros and the shared bases it reads are built first (or reused),
    and the result passes the access guard. `params` are the names the text uses; `values` all bound ones."""
    try:
        bases.ensure(con, text, values)
        return guard(con.sql(text, params=params).pl(), con)
    except duckdb.CatalogException:
        ensure_setup(con)
        bases.ensure(con, text, values)
        return guard(con.sql(text, params=params).pl(), con)


def run(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, norms: dict[str, Any] | None = None,
        access: Access = FULL) -> pl.DataFrame:
    """One metric over one scope as a DataFrame; `norms` default to etl/norms.toml (+ $ZAVUCH_NORMS)."""
    metric(name)
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    return run_resolved(con, name, values)
