"""Deck benchmark: render time of every page (AppTest, warm) and the demo command's time to a served page.

    python benchmarks/dashboard.py [--schools 1] [--seed 2025] [--out benchmarks/out] [--repeat 3] [--serve]
    python benchmarks/dashboard.py --schools 100 --db /tmp/region100/warehouse.duckdb   # an existing warehouse (say how many schools: the target depends on it)

Generates K demo schools and loads them (both reused when already there), then for each page of the deck
runs it once cold (empty Streamlit caches) and `--repeat` times warm (the same session rerun, as when a
deputy changes nothing and the page reruns), reporting the cold time and the best and median warm time.
`--serve` also times `zavuch demo` (bundle and warehouse already built, so the load is "unchanged") from
start to the first successful page request of the served deck.
Targets (issue 4): every page ≤ 1 s warm on the demo school, ≤ 3 s on a 100-school region; demo command
to a served page ≤ 15 s. The machine's load average is printed: on a shared machine it explains the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from etl.demo import generate_bundle  # noqa: E402
from etl.loader import load_bundle  # noqa: E402

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ("overview", "timeliness", "homework", "attendance", "teachers", "results", "forecast", "warehouse")


def build(out: Path, schools: int, seed: int) -> tuple[Path, Path]:
    bundle, db = out / f"bundle-k{schools}-s{seed}", out / f"deck-k{schools}-s{seed}.duckdb"
    if not (bundle / "manifest.toml").exists():
        generate_bundle(bundle, seed=seed, schools=schools)
    if not db.exists():
        load_bundle(bundle, db)
    return bundle, db


def time_page(page: str, repeat: int) -> dict[str, float]:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=600)
    if page != "overview":
        at.run()  # the default page first, so the cold figure is this page's own cost
        at.switch_page(f"views/{page}.py")
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
    return {"cold_s": round(cold, 3), "warm_best_s": round(min(warm), 3), "warm_median_s": round(statistics.median(warm), 3)}


def time_demo_serve(bundle: Path, db: Path, schools: int, seed: int) -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [str(Path(sys.executable).with_name("zavuch")), "demo", "--schools", str(schools), "--seed", str(seed),
           "--out", str(bundle), "--db", str(db), "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 120:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
        raise SystemExit("zavuch demo did not serve the deck within 120 s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=1)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--db", type=Path, help="an already loaded warehouse to time instead of building one")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.db is not None and args.serve:
        raise SystemExit("--serve builds its own warehouse; do not combine it with --db")
    if args.db is not None and not args.db.exists():
        raise SystemExit(f"{args.db}: no such warehouse")
    bundle, db = (None, args.db) if args.db is not None else build(args.out, args.schools, args.seed)
    os.environ["ZAVUCH_DB"] = str(db)
    target = 1.0 if args.schools == 1 else 3.0
    result: dict[str, object] = {"schools": args.schools, "loadavg": os.getloadavg(), "target_warm_s": target}
    pages = {}
    for page in PAGES:
        pages[page] = time_page(page, args.repeat)
        ok = "OK" if pages[page]["warm_best_s"] <= target else "SLOW"
        print(f"{page:<12} cold {pages[page]['cold_s']:>7.2f} s   warm best {pages[page]['warm_best_s']:>6.2f} s   "
              f"median {pages[page]['warm_median_s']:>6.2f} s   {ok}")
    result["pages"] = pages
    if args.serve:
        result["demo_to_served_page_s"] = round(time_demo_serve(bundle, db, args.schools, args.seed), 2)
        print(f"zavuch demo → served page: {result['demo_to_served_page_s']} s (target ≤ 15 s)")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
