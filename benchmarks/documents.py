"""Documents benchmark (issue 5): the справка of the demo school ≤ 3 s; сводные ведомости of all classes ≤ 10 s.

    python benchmarks/documents.py [--seed 2025] [--out benchmarks/out] [--repeat 3]

Generates and loads the one-school demo (reused when already there), then times the best of `--repeat`
runs, each from a fresh read-only connection, of:
  (a) справка for the first semester: build (all its metrics) + PDF, and the same + DOCX;
  (b) сводные ведомости of every class of the first semester: build + PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from etl.warehouse import connect_readonly  # noqa: E402
from reports import render_docx, render_pdf, spravka, svodnaya  # noqa: E402

TARGETS = {"spravka_pdf_s": 3.0, "spravka_docx_s": 3.0, "svodnye_all_classes_pdf_s": 10.0}


def warehouse(out: Path, seed: int) -> Path:
    from etl.demo import generate_bundle
    from etl.loader import load_bundle

    bundle, db = out / f"bundle-1-{seed}", out / f"warehouse-1-{seed}.duckdb"
    if not (bundle / "ground_truth.csv").exists():
        generate_bundle(bundle, seed=seed, schools=1)
    if not db.exists():
        load_bundle(bundle, db)
    return db


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = warehouse(args.out, args.seed)
    con = connect_readonly(db)
    school, period, end = con.execute(
        "SELECT school_id, id, end_date FROM periods WHERE kind = 'semester' ORDER BY start_date LIMIT 1").fetchall()[0]
    con.close()
    day = end + dt.timedelta(days=25)

    def spravka_with(render):
        c = connect_readonly(db)
        try:
            s = spravka.build(c, queries.Scope(period_id=period), spravka.SpravkaOptions(date=day))
            return render(s.document)
        finally:
            c.close()

    def svodnye():
        c = connect_readonly(db)
        try:
            return render_pdf(svodnaya.build(c, school, period_id=period, date=day))
        finally:
            c.close()

    results = {}
    results["spravka_pdf_s"], pdf = best(lambda: spravka_with(render_pdf), args.repeat)
    results["spravka_docx_s"], _ = best(lambda: spravka_with(render_docx), args.repeat)
    results["svodnye_all_classes_pdf_s"], sv = best(svodnye, args.repeat)
    report = {k: round(v, 2) for k, v in results.items()}
    report.update({"spravka_pdf_kb": len(pdf) // 1024, "svodnye_pdf_kb": len(sv) // 1024,
                   "targets_met": {k: results[k] <= TARGETS[k] for k in TARGETS}})
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
