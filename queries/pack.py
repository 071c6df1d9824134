"""A pack of metrics over one scope, run on two cursors at once.

Most metrics are small queries that DuckDB runs on one thread, so a pack run one metric after another
leaves the second core idle. Here the shared bases (queries.bases) are built once into a private
in-memory database attached for the duration of the pack — unlike TEMP tables, it is visible to every
cursor of the database instance — and the bases and metrics are spread over `workers` cursors, each
running one query at a time. A metric starts once the bases it reads are built. Each cursor enforces
the same access as `con` (queries.access), and every result passes the same guard as queries.run.
The cursors are `con`'s own and kept for its next pack: its restricted views and pseudonyms are built
once, not for every pack. When `con` keeps its bases (a read-only warehouse: queries.bases) and already
holds some of those the pack reads for this scope, the metrics run on `con` itself, one after another,
and only the missing bases are built, there.

Each base is dropped as soon as no task still to run reads it: with many schools the bases take
gigabytes, and their memory then serves the rest of the pack.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from etl.norms import load_norms
from queries import bases
from queries.access import FULL, Access, access_of, connection, guard
from queries.registry import METRICS
from queries.runner import bind, ensure_setup, execute_sql, metric, metric_sql
from queries.scope import Scope, resolve


def run_pack(con: duckdb.DuckDBPyConnection, scope: Scope, names: list[str] | None = None,
             norms: dict[str, Any] | None = None, access: Access = FULL, workers: int = 2) -> dict[str, pl.DataFrame]:
    """Every metric of `names` (default: the whole catalogue) over one scope, by name, in the order asked."""
    con = connection(con, access)
    values = bind(resolve(con, scope), norms if norms is not None else load_norms())
    return run_pack_resolved(con, names if names is not None else [m.name for m in METRICS], values, workers)


def run_pack_resolved(con: duckdb.DuckDBPyConnection, names: list[str], values: dict[str, Any],
                      workers: int = 2) -> dict[str, pl.DataFrame]:
    """As run_pack, with parameters already bound (queries.runner.bind)."""
    texts = {name: metric_sql(metric(name).name) for name in names}
    needed = bases.plan([text for text, _ in texts.values()])
    if bases.kept(con, needed, values):
        # `con` keeps bases and already holds some of these for this scope (the deck's Обзор built them for its
        # key figures): reading them there, one metric after another, and building only the missing ones on
        # `con` (kept for the next page too) costs less than building them all again for two cursors.
        return {name: execute_sql(con, text, {n: values[n] for n in params}, values)
                for name, (text, params) in texts.items()}
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    scratch = f"zavuch_pack_{uuid.uuid4().hex}"
    con.execute(f"ATTACH ':memory:' AS {scratch}")
    cursors: list[_Worker] = []
    ok = False
    try:
        _take(con, database, max(1, workers), cursors)
        for w in cursors:
            w.cur.execute(f"SET search_path = '\"{database}\".main,{scratch}.main'")
        frames = _run([w.cur for w in cursors], texts, needed, scratch, values)
        ok = True
        return frames
    finally:
        _release(con, cursors, ok)
        con.execute(f"DETACH {scratch}")


@dataclass(frozen=True)
class _Worker:
    raw: duckdb.DuckDBPyConnection  # a cursor of the pack's connection; held, as closing it closes `cur`
    cur: duckdb.DuckDBPyConnection  # the same, or its restricted cursor with the connection's access


# Per connection: the idle cursors of its packs. A restricted cursor costs its views and a pseudonym per
# student (queries.access), so a connection's packs reuse them; they are the connection's own, made with
# its access (which never changes), and a pack takes them out of the list while it runs.
_idle: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, list[_Worker]] = weakref.WeakKeyDictionary()
_idle_lock = threading.Lock()


def _take(con: duckdb.DuckDBPyConnection, database: str, n: int, taken: list[_Worker]) -> None:
    """Into `taken`, `n` cursors with `con`'s access and the macros: idle ones of earlier packs first, then
    new ones (each listed as soon as it exists, so the caller closes it should the pack fail)."""
    with _idle_lock:
        idle = _idle.setdefault(con, [])
        taken.extend(idle.pop() for _ in range(min(n, len(idle))))
    while len(taken) < n:
        raw = con.cursor()
        taken.append(_Worker(raw, raw))
        raw.execute(f'USE "{database}"')
        cur = connection(raw, access_of(con))
        taken[-1] = _Worker(raw, cur)
        ensure_setup(cur)


def _release(con: duckdb.DuckDBPyConnection, workers: list[_Worker], ok: bool) -> None:
    """Back to `con`'s idle list after a pack that ran to the end; closed after one that failed."""
    if ok:
        for w in workers:
            w.cur.execute("RESET search_path")
        with _idle_lock:
            _idle.setdefault(con, []).extend(workers)
        return
    for w in workers:
        if w.cur is not w.raw:
            w.cur.close()
        w.raw.close()


def _run(cursors: list[duckdb.DuckDBPyConnection], texts: dict[str, tuple[str, tuple[str, ...]]],
         needed: tuple[str, ...], scratch: str, values: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """Submit the bases (each after those it reads) and then the metrics; a pool thread owns one cursor.
    Tasks start in submission order, so a task only ever waits on tasks already started: no deadlock.
    A base is dropped as soon as every task that reads it has run: with many schools the bases take
    gigabytes, and their memory then serves the rest of the pack."""
    free = list(cursors)
    readers = Counter(b for name in needed for b in bases.named(bases.text_of(name)))
    readers.update(b for text, _ in texts.values() for b in bases.named(text))
    lock = threading.Lock()

    def on_cursor(fn):
        cur = free.pop()
        try:
            return fn(cur)
        finally:
            free.append(cur)

    def done_with(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
        with lock:
            readers.subtract(bases.named(sql))
            unread = [b for b in bases.named(sql) if readers[b] == 0]
        for name in unread:
            cur.execute(f"DROP TABLE {scratch}.main.{name}")

    def build(cur: duckdb.DuckDBPyConnection, name: str, deps: list[Future]) -> None:
        for f in deps:
            f.result()
        bases.build_into(cur, scratch, name, values)
        done_with(cur, bases.text_of(name))

    def compute(cur: duckdb.DuckDBPyConnection, text: str, params: tuple[str, ...], deps: list[Future]) -> pl.DataFrame:
        for f in deps:
            f.result()
        frame = guard(cur.sql(text, params={n: values[n] for n in params}).pl(), cur)
        done_with(cur, text)
        return frame

    built: dict[str, Future] = {}
    with ThreadPoolExecutor(max_workers=len(cursors)) as pool:
        for name in needed:
            deps = [built[d] for d in bases.needs(name)]
            built[name] = pool.submit(on_cursor, lambda cur, n=name, d=deps: build(cur, n, d))
        results = {}
        for name, (text, params) in texts.items():
            deps = [built[d] for d in bases.referenced(text)]
            results[name] = pool.submit(on_cursor, lambda cur, t=text, p=params, d=deps: compute(cur, t, p, d))
        return {name: future.result() for name, future in results.items()}
