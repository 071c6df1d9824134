"""A pack of metrics over one scope, run on two cursors at once.

Most metrics are small queries that DuckDB runs on one thread, so a pack run one metric after another
leaves the second core idle. Here the shared bases (queries.bases) are built once into a private
in-memory database attached for the duration of the pack — unlike TEMP tables, it is visible to every
cursor of the database instance — and the bases and metrics are spread over `workers` cursors, each
running one query at a time. A metric starts once the bases it reads are built. Each cursor enforces
the same access as `con` (queries.access), and every result passes the same guard as queries.run.

Each base is dropped as soon as no task still to run reads it: with many schools the bases take
gigabytes, and their memory then serves the rest of the pack.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb
import polars as pl

from etl.norms import load_norms
from queries import bases
from queries.access import FULL, Access, access_of, connection, guard
from queries.registry import METRICS
from queries.runner import bind, ensure_setup, metric, metric_sql
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
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    scratch = f"zavuch_pack_{uuid.uuid4().hex}"
    con.execute(f"ATTACH ':memory:' AS {scratch}")
    opened: list[duckdb.DuckDBPyConnection] = []  # every cursor made here, restricted ones' parents too
    try:
        cursors = [_cursor(con, database, scratch, opened) for _ in range(max(1, workers))]
        return _run(cursors, texts, needed, scratch, values)
    finally:
        for cur in reversed(opened):
            cur.close()
        con.execute(f"DETACH {scratch}")


def _cursor(con: duckdb.DuckDBPyConnection, database: str, scratch: str,
            opened: list[duckdb.DuckDBPyConnection]) -> duckdb.DuckDBPyConnection:
    """A fresh cursor with `con`'s access, the macros, and the pack's bases on its search path."""
    raw = con.cursor()
    opened.append(raw)
    raw.execute(f'USE "{database}"')
    cur = connection(raw, access_of(con))
    if cur is not raw:
        opened.append(cur)
    ensure_setup(cur)
    cur.execute(f"SET search_path = '\"{database}\".main,{scratch}.main'")
    return cur


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
