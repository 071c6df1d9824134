"""The demo school warehouse the deck tests run on: generated and loaded once per test process
(pytest-xdist runs one per worker), ~15 s."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.demo import generate_bundle
from etl.loader import load_bundle

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PERIOD = "s001-per-s2"  # the deck's default: the latest ended semester (2–9) of the demo year
SCHOOL = "s001"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deck")
    bundle = generate_bundle(root / "bundle", seed=2025, schools=1)
    db = root / "wh.duckdb"
    load_bundle(bundle.path, db)
    return db
