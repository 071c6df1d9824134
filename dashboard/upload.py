"""Loading a bundle uploaded in the browser: written to a temporary folder, then the same
`etl.loader.load_bundle` as the CLI (same validation, same atomic swap: an open page keeps reading the
old file until the new one is complete)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from etl.loader import load_bundle
from etl.report import LoadReport


class UploadedFile(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def load_uploaded(files: Iterable[UploadedFile], db: Path) -> LoadReport:
    """One .zip bundle, or the bundle's table files; raises etl.bundle.BundleRefused with a plain message."""
    with tempfile.TemporaryDirectory(prefix="zavuch-upload-") as tmp:
        files = list(files)
        if len(files) == 1 and files[0].name.lower().endswith(".zip"):
            target = Path(tmp) / Path(files[0].name).name
            target.write_bytes(files[0].getvalue())
        else:
            target = Path(tmp) / "bundle"
            target.mkdir()
            for f in files:
                (target / Path(f.name).name).write_bytes(f.getvalue())
        db.parent.mkdir(parents=True, exist_ok=True)
        return load_bundle(target, db)
