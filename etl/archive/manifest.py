"""The archive's manifest: records-management metadata (ГОСТ Р ИСО 15489-1, regulation 3.3) and every
file with its size and SHA-256, signed by a detached Ed25519 signature of its exact bytes.

Layout of an archive folder:
    manifest.json        this manifest (UTF-8 JSON)
    manifest.sig         base64 Ed25519 signature of manifest.json's bytes
    signing-key.pub      the public key that signed it (its fingerprint is in the manifest)
    README.txt           what the archive is and how to check it, in Russian
    data/<table>.parquet the year's rows, for `zavuch archive restore`
    csv/<table>.csv      the same rows for people (UTF-8 with BOM, «;», decimal comma)
    documents/*.pdf      сводные ведомости and справки
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FORMAT = "zavuch-archive/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "signing-key.pub"
README = "README.txt"
UNLISTED = frozenset({MANIFEST, SIGNATURE})  # the only files the manifest cannot list
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative, '/'-separated
    size: int
    sha256: str
    role: str  # data | csv | document | key | readme
    table: str | None = None
    rows: int | None = None
    title: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def entry(root: Path, rel: str, role: str, **extra: Any) -> FileEntry:
    p = root / rel
    return FileEntry(rel, p.stat().st_size, sha256_of(p), role, **extra)


def manifest_bytes(name: str, records: dict[str, Any], key_fingerprint: str, files: list[FileEntry]) -> bytes:
    """The manifest as stable bytes (sorted keys, files in path order): what the signature covers."""
    doc = {
        "format": FORMAT,
        "name": name,
        "records": records,
        "signature": {"algorithm": "Ed25519", "file": SIGNATURE, "public_key_file": PUBLIC_KEY,
                      "public_key_sha256": key_fingerprint},
        "files": [f.as_json() for f in sorted(files, key=lambda f: f.path)],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The detached signature file's content: base64 text, one line."""
    return base64.b64encode(key.sign(data)) + b"\n"
