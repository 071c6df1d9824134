"""Browser tests: a real `streamlit run` of the deck on a free port and Debian's Chromium
(/usr/bin/chromium; never `playwright install`), stack-notes §1.4."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from cli.serve import deck_command
from tests.access_fixtures import make_real_school
from tests.dashboard_fixtures import demo_db  # noqa: F401  (fixture)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("нет /usr/bin/chromium: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 3200}, "locale": "ru-RU"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def deck_url(demo_db):  # noqa: F811
    yield from serve(demo_db)


@pytest.fixture(scope="session")
def real_deck_url(demo_school, tmp_path_factory):
    """The deck on a "real" copy of the demo school (a login is required), one account per role."""
    yield from serve(make_real_school(demo_school, tmp_path_factory.mktemp("real-deck")).db)


def serve(db: Path):
    """`streamlit run` of the deck on `db` at a free port; yields its URL, stops it afterwards."""
    port = _free_port()
    log = tempfile.TemporaryFile("w+")  # not a PIPE: a full pipe would block the server
    proc = subprocess.Popen(deck_command(port, "127.0.0.1"), stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "ZAVUCH_DB": str(db)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"streamlit did not start:\n{log.read()}")
        time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
