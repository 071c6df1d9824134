"""Build the new warehouse beside the old one and swap it in atomically (stack-notes §1.6).

Readers attach the live file read-only; the loader never opens it for writing. It works on a copy in
a sibling work folder, then CHECKPOINTs, closes, fsyncs and os.replace()s it over the live file, so a
reader sees the old file or the new one, never a torn one, and a load killed at any moment leaves the
old file untouched. One loader at a time: an fcntl lock on `<db>.lock`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.bundle import BundleRefused

WORK_DB = "warehouse.duckdb"


class LoaderBusy(BundleRefused):
    """Another load into the same warehouse is running; this one wrote nothing."""


def work_dir_for(db: Path) -> Path:
    return db.parent / f".{db.name}.loading"


def unwritable(db: Path, e: OSError) -> str:
    """Why nothing can be written beside `db`, in Russian (it was a Python traceback): a read-only disk or
    folder, no write permission, or a file where the path needs a folder."""
    if e.errno == errno.EROFS:
        what = "диск или папка только для чтения"
    elif isinstance(e, PermissionError):
        what = "нет прав на запись"
    elif isinstance(e, (FileExistsError, NotADirectoryError)):
        what = f"{e.filename} — файл, а не папка"
    else:
        what = f"ошибка записи на диск ({e.strerror or e})"
    return (f"хранилище {db}: в папке {db.parent} нельзя записать файлы загрузки: {what}. Укажите --db в папке, "
            "где у вас есть право записи (рядом с хранилищем создаются рабочая папка и файл блокировки)")


@contextmanager
def exclusive(db: Path) -> Iterator[Path]:
    """Hold the loader lock and a clean work folder (stale ones from killed loads are removed)."""
    created_parent = not db.parent.exists()
    lock_path = db.with_name(db.name + ".lock")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock(lock_path, db)
    except OSError as e:  # LoaderBusy is no OSError
        raise BundleRefused(unwritable(db, e)) from None
    work = work_dir_for(db)
    try:
        shutil.rmtree(work, ignore_errors=True)
        try:
            work.mkdir()
        except OSError as e:
            raise BundleRefused(unwritable(db, e)) from None
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        # Unlink before unlocking: a loader that opened the old inode re-checks it (see _lock).
        lock_path.unlink(missing_ok=True)
        os.close(fd)
        if created_parent and not any(db.parent.iterdir()):
            db.parent.rmdir()


def _lock(lock_path: Path, db: Path) -> int:
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(fd)
            if e.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise LoaderBusy(f"{db}: сейчас идёт другая загрузка в это хранилище; дождитесь её окончания") from None
            raise
        try:
            if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the holder removed this lock file as we opened it: take the new one


def start_copy(db: Path, work: Path) -> Path:
    """The file the loader writes: a copy of the live warehouse, or nothing yet (fresh schema)."""
    tmp = work / WORK_DB
    if db.exists():
        shutil.copyfile(db, tmp)
    return tmp


def publish(tmp: Path, db: Path) -> None:
    """fsync the finished file, rename it over the live one, fsync the folder so the rename sticks."""
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, db)
    dir_fd = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
