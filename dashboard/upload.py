"""Loading a bundle uploaded in the browser: size-checked, written to a temporary folder, then the same
`etl.loader.load_bundle` as the CLI (same validation, same atomic swap: an open page keeps reading the
old file until the new one is complete). Only plain file names are written (no folders from the
browser), and a zip's unpacked size is checked before anything is unpacked (etl.bundle refuses paths
that leave the folder)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from etl.bundle import BundleRefused
from etl.loader import load_bundle
from etl.norms import load_norms
from etl.report import LoadReport

MB = 1024 * 1024


class UploadedFile(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def check_sizes(files: list[UploadedFile], max_bytes: int, max_unpacked_bytes: int) -> None:
    """Refuse an upload over the limits before anything is written (raises BundleRefused)."""
    total = sum(len(f.getvalue()) for f in files)
    if total > max_bytes:
        raise BundleRefused(f"загружено {total / MB:.1f} МБ, а можно не больше {max_bytes / MB:.0f} МБ за раз "
                            "(норма access.upload_max_mb); загрузите пакет командой zavuch load")
    for f in files:
        if Path(f.name).name in ("", ".", ".."):
            raise BundleRefused(f"«{f.name}»: недопустимое имя файла")
        if not f.name.lower().endswith(".zip"):
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(f.getvalue())) as z:
                unpacked = sum(i.file_size for i in z.infolist())
        except zipfile.BadZipFile:
            continue  # the loader reports a broken archive in its own words
        if unpacked > max_unpacked_bytes:
            raise BundleRefused(f"{f.name}: архив распаковывается в {unpacked / MB:.0f} МБ, больше допустимых "
                                f"{max_unpacked_bytes / MB:.0f} МБ (норма access.upload_max_unpacked_mb)")


def load_uploaded(files: Iterable[UploadedFile], db: Path, *, max_bytes: int | None = None) -> LoadReport:
    """One .zip bundle, or the bundle's table files; raises etl.bundle.BundleRefused with a plain message."""
    files = list(files)
    limits = load_norms()["access"]
    check_sizes(files, max_bytes if max_bytes is not None else int(limits["upload_max_mb"]) * MB,
                int(limits["upload_max_unpacked_mb"]) * MB)
    with tempfile.TemporaryDirectory(prefix="zavuch-upload-") as tmp:
        if len(files) == 1 and files[0].name.lower().endswith(".zip"):
            target = Path(tmp) / Path(files[0].name).name
            target.write_bytes(files[0].getvalue())
            shown = Path(files[0].name).name
        else:
            target = Path(tmp) / "bundle"
            target.mkdir()
            for f in files:
                (target / Path(f.name).name).write_bytes(f.getvalue())
            shown = "загруженные файлы"
        db.parent.mkdir(parents=True, exist_ok=True)
        try:
            report = load_bundle(target, db)
        except BundleRefused as e:
            # «/tmp/zavuch-upload-k3j2/выгрузка.zip: …» named a temporary copy the uploader never saw
            raise BundleRefused(str(e).replace(str(target), shown)) from None
        report.bundle_path = shown
        return report
