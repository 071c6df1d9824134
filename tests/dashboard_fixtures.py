"""What the deck tests share: the app's path, a private copy of the demo school's warehouse per worker
(the deck keeps its access store and audit log next to the warehouse file), and clean Streamlit caches
around every test (caches are process-global and outlive an AppTest, stack-notes §1.2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PERIOD = "s001-per-s2"  # the deck's default: the latest ended semester (2–9) of the demo year
SCHOOL = "s001"


@pytest.fixture(scope="session")
def demo_db(demo_school, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("deck") / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    return db


@pytest.fixture(autouse=True)
def clean_streamlit_caches():
    """Import this into a deck test module: it then runs around each of its tests."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
