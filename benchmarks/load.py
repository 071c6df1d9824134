"""Load benchmark: the loader against a bare DuckDB CTAS of the same CSV files (issue 2 §6).

    python benchmarks/load.py [--schools 20] [--seed 2025] [--out benchmarks/out]

Generates K demo schools (etl.demo.generate_bundle; reused when the manifest matches), then times, each
in its own child process so that its peak RSS is its own:
  (a) load_bundle into a fresh warehouse;
  (b) CREATE TABLE <t> AS SELECT * FROM read_csv('<t>.csv') for every table file, into a fresh DuckDB file;
  (c) load_bundle of the same, unchanged bundle again (should report 'unchanged');
  (d) the write alone: the tables (a) loaded, held in memory, written into a fresh file (CTAS + CHECKPOINT).
      Not a target: it shows how much of (a) any loader of this schema pays before reading or checking.
Prints rows/s, the ratio (a)/(b), peak RSS and (c) as a percentage of (a); also each part's CPU time
(all its threads; the system part apart) and their ratio, and the load average, because on a shared
machine wall time mostly measures the other jobs. Targets: ratio <= 1.5, peak RSS <= 2 GB at K = 20, reload <= 10 %.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _child(part: str, bundle: Path, db: Path) -> dict[str, float | int | str]:
    """Run one part in this (child) process and return its figures."""
    if part == "write":
        return _write_floor(bundle, db)
    started = time.perf_counter()
    if part == "bare":
        import duckdb

        from etl.bundle import FORMATS, NOT_TABLES

        con = duckdb.connect(str(db))
        rows = 0
        for f in sorted(bundle.iterdir()):
            if FORMATS.get(f.suffix) != "csv" or f.name in NOT_TABLES:
                continue
            con.execute(f"CREATE TABLE {f.stem} AS SELECT * FROM read_csv('{f}')")
            rows += con.execute(f"SELECT count(*) FROM {f.stem}").fetchone()[0]
        con.execute("CHECKPOINT")
        con.close()
        status = "bare"
    else:
        from etl.loader import load_bundle

        report = load_bundle(bundle, db)
        rows = sum(t.read for t in report.tables)
        status = report.status
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "sys_seconds": usage.ru_stime,  # the kernel's share: page faults, file reads and writes
        "rows": rows,
        "status": status,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def _cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_stime


def _write_floor(loaded: Path, db: Path) -> dict[str, float | int | str]:
    """(d) The write alone: every table of the loaded warehouse `loaded`, copied into memory first (not
    timed), then written into a fresh DuckDB file with CHECKPOINT (timed). No reading of the bundle, no
    checks: what any loader of this schema pays, whatever its code, to compare with (b)."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"ATTACH '{loaded}' AS loaded (READ_ONLY)")
    tables = [t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'loaded' AND estimated_size > 0").fetchall()]
    for t in tables:
        con.execute(f"CREATE TEMP TABLE mem_{t} AS SELECT * FROM loaded.{t}")
    con.execute("DETACH loaded")
    rows = 0
    cpu, sys_ = _cpu()
    started = time.perf_counter()
    for t in tables:
        rows += con.execute(f"CREATE TABLE {t} AS SELECT * FROM mem_{t}").fetchone()[0]
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - started
    cpu_after, sys_after = _cpu()
    con.close()
    return {
        "seconds": seconds, "cpu_seconds": cpu_after - cpu, "sys_seconds": sys_after - sys_, "rows": rows,
        "status": "write", "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run(part: str, bundle: Path, db: Path) -> dict[str, float | int | str]:
    out = subprocess.run(
        [sys.executable, __file__, "--part", part, "--bundle", str(bundle), "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bundle(out: Path, seed: int, schools: int) -> Path:
    from etl.demo import generate_bundle

    bundle = out / f"bundle-k{schools}-s{seed}"
    manifest = bundle / "manifest.toml"
    if manifest.exists():
        m = tomllib.loads(manifest.read_text(encoding="utf-8"))
        if m.get("seed") == seed and m.get("schools") == schools:
            return bundle
    started = time.perf_counter()
    generate_bundle(bundle, seed=seed, schools=schools)
    print(f"generated {schools} school(s) in {time.perf_counter() - started:.1f} s -> {bundle}")
    return bundle


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--schools", type=int, default=20)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    p.add_argument("--part", choices=["loader", "bare", "write"], help=argparse.SUPPRESS)
    p.add_argument("--bundle", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.part:
        print(json.dumps(_child(args.part, args.bundle, args.db)))
        return

    args.out.mkdir(parents=True, exist_ok=True)
    bundle = _bundle(args.out, args.seed, args.schools)
    csv_mb = sum(f.stat().st_size for f in bundle.glob("*.csv")) / 2**20
    loader_db, bare_db = args.out / f"load-k{args.schools}.duckdb", args.out / f"bare-k{args.schools}.duckdb"
    for f in (loader_db, bare_db):
        f.unlink(missing_ok=True)

    load_before = os.getloadavg()
    a = _run("loader", bundle, loader_db)
    b = _run("bare", bundle, bare_db)
    c = _run("loader", bundle, loader_db)
    assert c["status"] == "unchanged", c
    write_db = args.out / f"write-k{args.schools}.duckdb"
    write_db.unlink(missing_ok=True)
    d = _run("write", loader_db, write_db)
    write_db.unlink()

    rows = int(a["rows"])
    print(f"schools: {args.schools}, rows: {rows:,}, CSV: {csv_mb:,.0f} MB".replace(",", " "))
    print(f"(a) loader      {a['seconds']:7.1f} s  {rows / a['seconds']:>10,.0f} rows/s  peak RSS {a['peak_rss_mb']:6.0f} MB")
    print(f"(b) bare CTAS   {b['seconds']:7.1f} s  {rows / b['seconds']:>10,.0f} rows/s  peak RSS {b['peak_rss_mb']:6.0f} MB")
    print(f"(c) reload      {c['seconds']:7.1f} s  ({100 * c['seconds'] / a['seconds']:.1f} % of (a))  peak RSS {c['peak_rss_mb']:6.0f} MB")
    print(f"(d) the write alone {d['seconds']:7.1f} s, CPU {d['cpu_seconds']:.1f} s: the loaded rows written from memory "
          f"into a fresh file, = {d['seconds'] / b['seconds']:.2f} of (b) wall, {d['cpu_seconds'] / b['cpu_seconds']:.2f} CPU")
    print(f"ratio (a)/(b) = {a['seconds'] / b['seconds']:.2f}   (target <= 1.5)")
    cpu_a, cpu_b = a["cpu_seconds"], b["cpu_seconds"]
    print(
        f"CPU time: (a) {cpu_a:.1f} s (system {a['sys_seconds']:.1f}), (b) {cpu_b:.1f} s (system {b['sys_seconds']:.1f}), "
        f"ratio {cpu_a / cpu_b:.2f}"
    )
    before, after = (" ".join(f"{x:.1f}" for x in avg) for avg in (load_before, os.getloadavg()))
    print(f"load average (1, 5, 15 min) before: {before}; after: {after}")
    print(f"warehouse: {loader_db.stat().st_size / 2**20:,.0f} MB; bare CTAS file: {bare_db.stat().st_size / 2**20:,.0f} MB")


if __name__ == "__main__":
    main()
