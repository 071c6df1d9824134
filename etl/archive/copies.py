"""Writes one copy of an archive onto one medium so that a crash at any moment leaves either the
complete, verified copy under its name or nothing under its name.

The files go to a hidden sibling folder `.NAME.partial-PID`; each is fsynced and dropped from the page
cache, the copy is verified by reading it back from the medium, and only then renamed to NAME (and the
destination folder fsynced so the rename survives a power cut). Same idea as the loader's swap
(etl/swap.py), for a folder instead of one file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from etl.archive.errors import ArchiveError
from etl.archive.verify import Verification, verify

COPY_CHUNK = 1 << 20


def partial_name(name: str) -> str:
    return f".{name}.partial-{os.getpid()}"


def write_copy(source: Path, destination: Path, name: str, pubkey: Path | None = None) -> Verification:
    """Copy the archive folder `source` into `destination`/`name`; returns the verification of the copy.

    Raises ArchiveError (and leaves nothing behind) if the copy cannot be written or does not verify."""
    final = destination / name
    if final.exists():
        raise ArchiveError(f"{final}: архив с таким именем уже есть на этом носителе")
    partial = destination / partial_name(name)
    try:
        partial.mkdir()
        for src in sorted(source.rglob("*")):
            rel = src.relative_to(source)
            if src.is_dir():
                (partial / rel).mkdir()
            else:
                _copy_file(src, partial / rel)
        for folder in sorted({p.parent for p in partial.rglob("*")}, key=lambda p: len(p.parts), reverse=True):
            _fsync_dir(folder)
        check = verify(partial, pubkey, expected_name=name)
        if not check.ok:
            raise ArchiveError(f"копия в {destination} не прошла проверку после записи: "
                               + "; ".join(p.message for p in check.problems))
        os.rename(partial, final)
        _fsync_dir(destination)
    except OSError as e:
        shutil.rmtree(partial, ignore_errors=True)
        raise ArchiveError(f"{destination}: копия архива не записана: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    check.folder = final
    return check


def _copy_file(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, COPY_CHUNK)
        fout.flush()
        os.fsync(fout.fileno())
        # Drop the written pages from the cache, so the verification reads what is on the medium.
        os.posix_fadvise(fout.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
