"""Fixtures shared by every test area.

`demo_school` builds the demo school (seed 2025) and loads it ONCE per test run, even under pytest-xdist:
workers share a folder next to their own temp dirs and take turns through a file lock, so the
generate-and-load cost (~10 s) is paid once, not once per module and worker. Tests get it read-only.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.demo import generate_bundle
from etl.loader import load_bundle

DEMO_SEED = 2025


@dataclass(frozen=True)
class DemoSchool:
    bundle: Path  # the generated bundle folder
    ground_truth: Path
    db: Path  # warehouse with the bundle loaded; open with etl.warehouse.connect_readonly, never write


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's basetemp is <run>/popen-gwN; the run folder is shared by all workers.
    return base.parent if base.name.startswith("popen-gw") else base


@pytest.fixture(scope="session")
def demo_school(tmp_path_factory: pytest.TempPathFactory) -> DemoSchool:
    root = _shared_dir(tmp_path_factory) / f"demo-school-{DEMO_SEED}"
    root.mkdir(exist_ok=True)
    done = root / "ready"
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            bundle = generate_bundle(root / "bundle", seed=DEMO_SEED, schools=1)
            load_bundle(bundle.path, root / "warehouse.duckdb")
            done.write_text("ok")
        fcntl.flock(lock, fcntl.LOCK_UN)
    return DemoSchool(bundle=root / "bundle", ground_truth=root / "bundle" / "ground_truth.csv",
                      db=root / "warehouse.duckdb")
