"""The deck's only door to the warehouse: a cached read-only parent connection per file version, a
cursor per query, and cached query results keyed by that version so a load shows up without a restart.

Every number comes from `queries` (stack-notes §1.2: a DuckDB connection is not thread-safe, so each
session's query takes its own cursor of the shared read-only parent).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

import queries
from etl.norms import load_norms
from etl.warehouse import ALIAS, connect_readonly, resolve_db_path, version
from queries import deck
from queries.access import FULL, Access, connection
from queries.status import WarehouseStatus, has_real_data, warehouse_status

Version = tuple[int, int]


def db_path() -> Path:
    """$ZAVUCH_DB (set by `zavuch serve`) or data/zavuch.duckdb."""
    return resolve_db_path()


def current_version() -> Version | None:
    path = db_path()
    return version(path) if path.exists() else None


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _parent(path: str, ver: Version) -> duckdb.DuckDBPyConnection:
    """One read-only connection per warehouse file version; an old version is closed when evicted."""
    return connect_readonly(path)


@dataclass(frozen=True)
class _AccessConnection:
    raw: duckdb.DuckDBPyConnection  # a cursor of the parent; held, as closing it closes `con` too
    con: duckdb.DuckDBPyConnection  # the same, or its restricted cursor (queries.access)
    lock: threading.Lock  # a DuckDB connection is not thread-safe: one query at a time


# No on_release: an entry evicted while another session's query runs on it must not be closed under that
# query (nine class teachers at once evict the first); it is freed once no session holds it any more.
@st.cache_resource(max_entries=8, show_spinner=False)
def _access_connection(path: str, ver: Version, access: Access) -> _AccessConnection:
    """One connection per warehouse version and access, kept between queries: its TEMP macros, restricted
    views, pseudonyms and shared bases (queries.bases) are built once, not again for every cached query."""
    raw = _parent(path, ver).cursor()
    raw.execute(f"USE {ALIAS}")
    # An IT administrator reads counts only (queries.status), on the plain cursor.
    con = connection(raw, access) if access.sees_student_data else raw
    return _AccessConnection(raw, con, threading.Lock())


@contextmanager
def connected(ver: Version, access: Access = FULL) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse as `access` may see it, held for one query (or one document) at a time."""
    c = _access_connection(str(db_path()), ver, access)
    with c.lock:
        yield c.con


@contextmanager
def connected_school(ver: Version, access: Access = FULL) -> Iterator[duckdb.DuckDBPyConnection]:
    """The unrestricted cursor behind `access`'s connection, held like `connected`, for a query that takes
    `access` itself and narrows its result to it: queries.forecast computes a pupil's forecast from the
    school's journal, so a class teacher sees the figures the deputy and the parents' letter give."""
    c = _access_connection(str(db_path()), ver, access)
    with c.lock:
        yield c.raw


def _with_cursor(ver: Version, access: Access, fn: Any) -> Any:
    with connected(ver, access) as con:
        return fn(con)


@st.cache_data(max_entries=512, show_spinner=False)
def metric(ver: Version, name: str, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    """queries.run for this warehouse version, inside the user's access."""
    return _with_cursor(ver, access, lambda c: queries.run(c, name, scope, load_norms(), access=access))


def metric_infos() -> dict[str, queries.MetricInfo]:
    """Every metric's title and description, worded with the school's norms (queries.catalog)."""
    return {m.name: m for m in queries.catalog(load_norms())}


@st.cache_data(max_entries=64, show_spinner=False)
def scorecard(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: queries.teacher_scorecard(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def findings(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: queries.period_summary(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def invalid_entries(ver: Version, scope: queries.Scope, access: Access = FULL) -> queries.InvalidEntries:
    """Entries of the scope invalid under regulation 4.4, counted by the query layer."""
    return _with_cursor(ver, access, lambda c: queries.invalid_entries_summary(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def key_figures(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.key_figures(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def coverage(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.coverage(c, scope, access=access))


@st.cache_data(max_entries=4, show_spinner=False)
def lookups(ver: Version, access: Access = FULL) -> deck.Lookups:
    return _with_cursor(ver, access, lambda c: deck.lookups(c, access=access))


@st.cache_data(max_entries=4, show_spinner=False)
def status(ver: Version, access: Access = FULL) -> WarehouseStatus:
    return _with_cursor(ver, access, lambda c: warehouse_status(c, last_batches=20, access=access))


@st.cache_data(max_entries=4, show_spinner=False)
def real_data(ver: Version) -> bool:
    """Any batch from a real source: the deck then always asks for a login."""
    return _with_cursor(ver, FULL, has_real_data)


@st.cache_data(max_entries=4, show_spinner=False)
def rejected_rows(ver: Version, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.rejected_rows(c, access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def mark_timeliness_by(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.mark_timeliness_by(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def mark_lag_distribution(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.mark_lag_distribution(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=256, show_spinner=False)
def scope_problem(ver: Version, scope: queries.Scope, access: Access = FULL) -> str | None:
    """A plain Russian sentence saying why the filters select nothing (or name what the user may not see,
    or too few students for a pseudonymised view), or None."""
    try:
        _with_cursor(ver, access, lambda c: queries.scope.resolve(connection(c, access), scope))
    except queries.scope.SmallScope as e:
        return f"Срез не показывается: {e}"
    except queries.ScopeError as e:
        return f"Фильтры не выбирают ни одного урока: {e}"
    return None


@st.cache_data(max_entries=64, show_spinner=False)
def attendance_class_day(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    return _with_cursor(ver, access, lambda c: deck.attendance_class_day(c, scope, access=access))


@st.cache_data(max_entries=256, show_spinner=False)
def scope_lessons(ver: Version, scope: queries.Scope, access: Access = FULL) -> deck.ScopeLessons:
    """Lessons the filters select (any, held, journal-checked): an empty scope is «no data», not «no violations»."""
    return _with_cursor(ver, access, lambda c: deck.scope_lessons(c, scope, load_norms(), access=access))


@st.cache_data(max_entries=64, show_spinner=False)
def periods_not_ended(ver: Version, scope: queries.Scope, access: Access = FULL) -> pl.DataFrame:
    """The scope's periods still running on its check day: their results are not yet the period's."""
    return _with_cursor(ver, access, lambda c: deck.periods_not_ended(c, scope, access=access))
