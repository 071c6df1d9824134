"""The demo school's year archive, built ONCE per test run (even under pytest-xdist, like `demo_school`):
building the справки and сводные ведомости takes about a minute, so workers share one archive and
take turns through a file lock. Tests that change an archive work on a hard-linked copy (archive_copy)
and replace files instead of writing into them, so the shared archive stays intact.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.archive import create_archive, generate_keypair

YEAR_NAME = "2025/2026"
DOC_DATE = dt.date(2026, 6, 20)
CREATED_AT = dt.datetime(2026, 6, 20, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
CREATED_BY = "Смирнова Е. В., заместитель директора по УВР"
NAME = "zavuch-archive_s001_2025-2026_20260620T103000"


@dataclass(frozen=True)
class BuiltArchive:
    copies: tuple[Path, Path]  # the two verified copies (destinations a/ and b/)
    private_key: Path
    public_key: Path
    fingerprint: str
    db: Path  # the demo warehouse it was made from (read-only)


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


@pytest.fixture(scope="session")
def year_archive(tmp_path_factory: pytest.TempPathFactory, demo_school) -> BuiltArchive:
    root = _shared_dir(tmp_path_factory) / "year-archive"
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "ready").exists():
            for d in ("a", "b", "keys"):
                shutil.rmtree(root / d, ignore_errors=True)
                (root / d).mkdir()
            key = generate_keypair(root / "keys" / "school.key")
            report = create_archive(demo_school.db, [root / "a", root / "b"], key.private, YEAR_NAME,
                                    created_by=CREATED_BY, document_date=DOC_DATE, now=CREATED_AT)
            assert not report.failures, report.failures
            (root / "ready").write_text(key.fingerprint)
        fcntl.flock(lock, fcntl.LOCK_UN)
    return BuiltArchive((root / "a" / NAME, root / "b" / NAME), root / "keys" / "school.key",
                        root / "keys" / "school.key.pub", (root / "ready").read_text(), demo_school.db)


def archive_copy(source: Path, into: Path) -> Path:
    """A copy of the archive folder whose files are hard links (cheap); change files only by replacing."""
    dst = into / source.name
    shutil.copytree(source, dst, copy_function=os.link)
    return dst


def replace_file(path: Path, data: bytes) -> None:
    """Give `path` new content without touching the hard-linked original."""
    path.unlink()
    path.write_bytes(data)


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
