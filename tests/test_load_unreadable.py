"""A bundle file the loader cannot open (no read permission, a link to nowhere) is refused in plain words
with the file's name, nothing written, instead of a PermissionError / FileNotFoundError traceback."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from etl.loader import BundleRefused, load_bundle
from tests.load_fixtures import T0, school, write_bundle


def _dangling_marks(tmp: Path) -> Path:
    bundle = write_bundle(tmp / "b", school())
    (bundle / "marks.csv").unlink()
    (bundle / "marks.csv").symlink_to(tmp / "share-not-mounted" / "marks.csv")
    return bundle


def test_link_to_nowhere_refused_on_first_load(tmp_path: Path) -> None:
    db = tmp_path / "data" / "w.duckdb"
    with pytest.raises(BundleRefused) as e:
        load_bundle(_dangling_marks(tmp_path), db, now=T0)
    assert str(e.value) == f"{tmp_path / 'b' / 'marks.csv'}: файл или папка не читается: файла нет " \
                           "(ссылка ведёт в никуда или файл удалён во время загрузки)"
    assert not (tmp_path / "data").exists()


def test_link_to_nowhere_leaves_existing_warehouse_untouched(tmp_path: Path) -> None:
    db = tmp_path / "data" / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "good", school()), db, now=T0)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(BundleRefused, match="marks.csv: файл или папка не читается"):
        load_bundle(_dangling_marks(tmp_path), db, now=T0.replace(hour=21))
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["w.duckdb"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_file_without_read_permission_refused(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school())
    (bundle / "marks.csv").chmod(0)
    with pytest.raises(BundleRefused, match="marks.csv: файл или папка не читается: нет прав на чтение"):
        load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
