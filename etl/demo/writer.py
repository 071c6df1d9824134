"""Writing the canonical bundle: one UTF-8 CSV per table of etl/bundle_spec.TABLES (header = the spec's
column names, ISO dates, 'YYYY-MM-DD HH:MM:SS' timestamps, empty = NULL), appended school by school,
plus manifest.toml and ground_truth.csv."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.bundle_spec import MANIFEST_NAME, TABLES, TABLES_BY_NAME
from etl.demo.violations import GT_COLUMNS

GROUND_TRUTH = "ground_truth.csv"
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def conform(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """Exactly the spec's columns in the spec's order; a column the generator leaves out is empty."""
    cols = [c.name for c in TABLES_BY_NAME[table].columns]
    extra = set(df.columns) - set(cols)
    if extra:
        raise ValueError(f"{table}: columns not in bundle_spec: {sorted(extra)}")
    return df.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in cols if c not in df.columns]
    ).select(cols)


class BundleWriter:
    """Creates the CSV files with their headers, then appends each school's rows."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.rows: dict[str, int] = {t.name: 0 for t in TABLES}
        out_dir.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            (out_dir / f"{t.name}.csv").write_text(",".join(c.name for c in t.columns) + "\n", encoding="utf-8")
        (out_dir / GROUND_TRUTH).write_text(",".join(GT_COLUMNS) + "\n", encoding="utf-8")

    def append(self, tables: dict[str, pl.DataFrame], ground_truth: pl.DataFrame) -> None:
        for t in TABLES:
            df = conform(t.name, tables[t.name])
            self._write(self.out / f"{t.name}.csv", df)
            self.rows[t.name] += df.height
        self._write(self.out / GROUND_TRUTH, ground_truth.select(GT_COLUMNS))

    @staticmethod
    def _write(path: Path, df: pl.DataFrame) -> None:
        with path.open("ab") as f:
            df.write_csv(f, include_header=False, date_format=DATE_FORMAT, datetime_format=DATETIME_FORMAT,
                         null_value="")

    def write_manifest(self, seed: int, schools: int) -> None:
        # `generated` is derived from the seed, never from the clock: same seed, same bytes.
        text = (
            'source_system = "demo"\n'
            'mode = "snapshot"\n'
            f"seed = {seed}\n"
            f"schools = {schools}\n"
            f'generated = "2026-05-31 18:{seed % 60:02d}:00"\n'
        )
        (self.out / MANIFEST_NAME).write_text(text, encoding="utf-8")
