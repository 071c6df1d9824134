"""Deck benchmark in a real browser: time to a rendered page, cold and warm, per role.

    python benchmarks/deck_browser.py [--db WAREHOUSE] [--roles deputy,methodologist,class_teacher] [--tree DIR]

Copies the warehouse (default: the demo school of benchmarks/dashboard.py), makes the copy "real" with one
account per role (tests/access_fixtures.py), and for each role starts a fresh `streamlit run` of the deck
(empty caches), logs in in Debian's Chromium (Playwright) and opens every page of the role twice through the
sidebar: cold (the role's first visit) and warm (the same page again after all the others). For each visit
it prints the time from the click to the server's «script finished» message, the time until the page is
drawn (no stale element, every Plotly chart drawn), the server process's CPU seconds (all threads; on a
shared machine steadier than wall time) and the bytes the server sent. `--tree` runs the deck of
another checkout (e.g. main's) for an A/B in the same conditions. The load average is printed: on a shared
machine it explains the spread. No target is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.dashboard import build  # noqa: E402
from tests.access_fixtures import PASSWORD, make_real_school  # noqa: E402

PAGES = ("Обзор", "Своевременность", "Домашние задания", "Посещаемость", "Учителя", "Успеваемость", "Прогноз",
         "Справки", "Данные")
DRAWN = ("() => !document.querySelector('[data-stale=true]') && [...document.querySelectorAll('.js-plotly-plot')]"
         ".every(p => p.querySelector('.main-svg'))")


class Wire:
    """What the server sent since the last click: bytes, and when its script run finished."""

    def __init__(self) -> None:
        self.bytes, self.finished = 0, None

    def attach(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        self.bytes += len(payload)
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.finished = time.perf_counter()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (Linux /proc): less swayed by other programs
    on a shared machine than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def visit(page: Page, wire: Wire, server_pid: int, click) -> tuple[float, float, float, int]:
    """Seconds to the server's «script finished», seconds until drawn, server CPU seconds, bytes sent."""
    wire.bytes, wire.finished = 0, None
    cpu = cpu_seconds(server_pid)
    started = time.perf_counter()
    click()
    while wire.finished is None:
        page.wait_for_timeout(20)
    server = wire.finished - started
    page.wait_for_function(DRAWN, timeout=300_000, polling=20)
    return server, time.perf_counter() - started, cpu_seconds(server_pid) - cpu, wire.bytes


def serve(tree: Path, db: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", str(tree / "dashboard" / "app.py"), "--server.headless=true",
           f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
           "--server.fileWatcherType=none"]
    env = {**os.environ, "ZAVUCH_DB": str(db), "PYTHONPATH": str(tree)}
    # cwd: `python -m` puts the working directory first on sys.path, ahead of PYTHONPATH
    proc = subprocess.Popen(cmd, env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the deck did not start within 120 s")


def run_role(browser, tree: Path, db: Path, role: str) -> None:
    proc, url = serve(tree, db)
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="ru-RU")
        page = context.new_page()
        wire = Wire()
        page.on("websocket", wire.attach)
        page.goto(url)
        page.get_by_label("Логин").fill(role)
        page.get_by_label("Пароль").fill(PASSWORD)
        server, drawn, cpu, sent = visit(page, wire, proc.pid, lambda: page.get_by_role("button", name="Войти").click())
        print(f"{role:<16} login → first page  server {server:6.2f} s  drawn {drawn:6.2f} s  cpu {cpu:6.2f} s  "
              f"{sent / 1e3:7.0f} kB", flush=True)
        for round_ in ("cold", "warm"):
            for title in PAGES:
                link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title)
                if not link.count():
                    continue
                server, drawn, cpu, sent = visit(page, wire, proc.pid, link.first.click)
                boxes = page.get_by_test_id("stException")
                error = f"  EXCEPTION: {boxes.first.inner_text()[:300]!r}" if boxes.count() else ""
                print(f"{role:<16} {round_} {title:<17} server {server:6.2f} s  drawn {drawn:6.2f} s  "
                      f"cpu {cpu:6.2f} s  {sent / 1e3:7.0f} kB{error}", flush=True)
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a loaded warehouse (default: the demo school, built when missing)")
    ap.add_argument("--roles", default="deputy,methodologist,class_teacher")
    ap.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose deck is served")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = ap.parse_args()
    if args.db is None:
        args.out.mkdir(parents=True, exist_ok=True)
        args.db = build(args.out, 1, 2025)[1]
    with tempfile.TemporaryDirectory() as tmp:
        real = make_real_school(types.SimpleNamespace(db=args.db), Path(tmp) / "real")
        print(f"deck of {args.tree}, warehouse copy {real.db}, load average {os.getloadavg()}", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            for role in args.roles.split(","):
                run_role(browser, args.tree, real.db, role)
            browser.close()
        print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
