"""What integer keys would give the metric pack (issue 3, docs/performance.md: Metrics, after the fifth pass).

    python benchmarks/int_keys.py --db /tmp/region100/warehouse.duckdb [--copy /tmp/int-keys.duckdb]

The warehouse keeps its ids as text. Before anyone turns them into integer surrogate keys, this measures
what that would buy: it copies the warehouse with every text key column (`id`, `*_id` except `source_id`,
`entered_by`, `recorded_by`) replaced by its 64-bit `hash()` (NULL stays NULL), then runs the whole pack over all schools
and the dates of the first semester, one base and one metric at a time on one cursor, on the original and on
the copy, and prints each item's CPU time side by side with the row counts (which must agree) and the
totals; then the pack itself (queries.pack, two cursors, as benchmarks/metrics.py times it) on both. A
metric that cannot run on integer keys is named, not timed. The copy is an experiment, not a warehouse
the product reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import queries  # noqa: E402
from etl.norms import load_norms  # noqa: E402
from etl.warehouse import ALIAS, connect_readonly  # noqa: E402
from queries import bases  # noqa: E402
from queries.pack import run_pack  # noqa: E402
from queries.runner import bind, ensure_setup, metric_sql  # noqa: E402
from queries.scope import resolve  # noqa: E402

KEY_EXTRA = ("entered_by", "recorded_by")  # accounts (people ids)


def copy_with_int_keys(src: Path, dst: Path) -> None:
    """Every table of `src` into `dst`, its text key columns hashed to UBIGINT."""
    dst.unlink(missing_ok=True)
    con = duckdb.connect(str(dst))
    try:
        con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' ORDER BY table_name").fetchall()]
        for table in tables:
            cols = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'src' "
                               "AND table_name = ? ORDER BY column_index", [table]).fetchall()
            select = ", ".join(
                f'CASE WHEN "{c}" IS NULL THEN NULL ELSE hash("{c}") END AS "{c}"'
                if t == "VARCHAR" and c != "source_id" and (c == "id" or c.endswith("_id") or c in KEY_EXTRA)
                else f'"{c}"' for c, t in cols)
            con.execute(f'CREATE TABLE "{table}" AS SELECT {select} FROM src."{table}"')
    finally:
        con.close()


def all_schools(con: duckdb.DuckDBPyConnection) -> queries.Scope:
    """Every school over the dates of the first semester of the warehouse (as benchmarks/metrics.py's (c))."""
    start, end = con.execute("SELECT start_date, end_date FROM periods WHERE kind = 'semester' "
                             "ORDER BY school_id, start_date LIMIT 1").fetchall()[0]
    return queries.Scope(date_from=start, date_to=end, as_of=end + dt.timedelta(days=30))


def pack_seconds(db: Path, memory_limit: str) -> tuple[float, float]:
    """Wall and CPU seconds of the whole pack over all schools."""
    con = connect_readonly(db)
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        scope = all_schools(con)
        wall, cpu = time.perf_counter(), time.process_time()
        run_pack(con, scope)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        con.close()


def profile(db: Path, memory_limit: str) -> tuple[dict[str, tuple[float, int | None]], float, float]:
    """CPU seconds and rows of each base and metric over all schools, one at a time; the totals' wall and CPU."""
    con = connect_readonly(db)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    values = bind(resolve(con, all_schools(con)), load_norms())
    cur = con.cursor()
    cur.execute(f"USE {ALIAS}")
    ensure_setup(cur)
    cur.execute("ATTACH ':memory:' AS scratch")
    cur.execute(f"SET search_path = '{ALIAS}.main,scratch.main'")
    texts = {m.name: metric_sql(m.name) for m in queries.catalog()}
    items: dict[str, tuple[float, int | None]] = {}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for name in bases.plan([text for text, _ in texts.values()]):
        c = time.process_time()
        bases.build_into(cur, "scratch", name, values)
        rows = cur.execute(f"SELECT count(*) FROM scratch.main.{name}").fetchall()[0][0]
        items[f"base {name}"] = (time.process_time() - c, rows)
    for name, (text, params) in texts.items():
        c = time.process_time()
        try:
            rows = cur.sql(text, params={p: values[p] for p in params}).pl().height
        except duckdb.Error:
            items[name] = (0.0, None)
            continue
        items[name] = (time.process_time() - c, rows)
    totals = time.perf_counter() - wall0, time.process_time() - cpu0
    con.close()
    return items, *totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--copy", type=Path, default=Path("benchmarks/out/int-keys.duckdb"))
    ap.add_argument("--memory-limit", default="16GB")
    args = ap.parse_args()
    t = time.perf_counter()
    copy_with_int_keys(args.db, args.copy)
    print(f"copy with integer keys: {args.copy} ({time.perf_counter() - t:.0f} s)", flush=True)
    text_items, text_wall, text_cpu = profile(args.db, args.memory_limit)
    int_items, int_wall, int_cpu = profile(args.copy, args.memory_limit)
    print(f"{'item':<40} {'text CPU-s':>10} {'int CPU-s':>10}  rows")
    for name, (cpu, rows) in sorted(text_items.items(), key=lambda kv: -kv[1][0]):
        icpu, irows = int_items[name]
        if irows is None:
            note = "cannot run on integer keys"
        else:
            note = f"{rows}" if rows == irows else f"DIFFER: {rows} text, {irows} int"
        print(f"{name:<40} {cpu:>10.2f} {icpu:>10.2f}  {note}")
    print(f"whole pack, sequential: text keys {text_wall:.1f} s wall / {text_cpu:.1f} CPU-s; "
          f"integer keys {int_wall:.1f} s / {int_cpu:.1f} CPU-s ({int_cpu / text_cpu - 1:+.0%} CPU)", flush=True)
    (tw, tc), (iw, ic) = pack_seconds(args.db, args.memory_limit), pack_seconds(args.copy, args.memory_limit)
    print(f"the pack (queries.pack, 2 cursors): text keys {tw:.1f} s wall / {tc:.1f} CPU-s; "
          f"integer keys {iw:.1f} s / {ic:.1f} CPU-s (target < 30 s)")


if __name__ == "__main__":
    main()
