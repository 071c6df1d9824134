"""A real PostgreSQL server for the SQL-source tests, started in a temp folder and stopped afterwards.

PostgreSQL refuses to run as root, so as root the cluster is created and run by the `postgres` user
(runuser); otherwise by the current user. If the server cannot be started the tests skip and say why.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory):
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL не установлен (нет initdb/pg_ctl): tools/ensure-test-tools.sh ставит пакет postgresql")
    root = tmp_path_factory.mktemp("pg")
    data = root / "data"
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        if shutil.which("runuser") is None:
            pytest.skip("запуск от root без runuser: PostgreSQL не запускается от root")
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
        for parent in root.parents:  # the postgres user must reach the folder
            if parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
    port = _free_port()
    log = root / "server.log"
    init = subprocess.run([*prefix, initdb, "-D", str(data), "-U", "zavuch", "--auth=trust", "-E", "UTF8",
                           "--no-locale"], capture_output=True, text=True)
    if init.returncode != 0:
        pytest.skip(f"initdb не удался: {init.stderr.strip()[-300:]}")
    start = subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o",
                            f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off", "start"],
                           capture_output=True, text=True)
    if start.returncode != 0:
        text = log.read_text(errors="replace")[-300:] if log.exists() else start.stderr
        pytest.skip(f"PostgreSQL не запустился: {text.strip()}")
    try:
        yield f"postgresql+psycopg://zavuch@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
