"""The deterministic demo school generator (issue 2 §4).

`generate_bundle` writes a canonical bundle (etl/bundle_spec.py) of one or more fictional schools for
the year 2025/2026, with the journal-keeping violations of docs/planted-violations.md planted in it and
listed in ground_truth.csv. Schools are generated one at a time and appended, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.demo.contract import default_norms
from etl.demo.school import build_school
from etl.demo.writer import GROUND_TRUTH, BundleWriter


@dataclass
class DemoBundle:
    path: Path
    rows: dict[str, int]  # rows written per bundle table
    ground_truth: Path


def generate_bundle(
    out_dir: Path,
    *,
    seed: int = 2025,
    schools: int = 1,
    on_school_done: Callable[[int, int], None] | None = None,
) -> DemoBundle:
    """Write the demo bundle to `out_dir`; the same seed gives byte-identical files."""
    if schools < 1:
        raise ValueError("schools must be at least 1")
    out_dir = Path(out_dir)
    norms = default_norms()
    writer = BundleWriter(out_dir)
    for number in range(1, schools + 1):
        tables, truth = build_school(seed, number, norms)
        writer.append(tables, truth)
        if on_school_done is not None:
            on_school_done(number, schools)
    writer.write_manifest(seed, schools)
    return DemoBundle(out_dir, dict(writer.rows), out_dir / GROUND_TRUTH)


__all__ = ["DemoBundle", "generate_bundle"]
