"""Checks an archive copy: the manifest's signature, then every file against the manifest.

A copy is complete only when the signature is good, every listed file is there with its size and
SHA-256, no unlisted file is present, and the folder carries the archive's own name (an interrupted
copy lives under a hidden `.…partial-…` name and so never passes).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from etl.archive.errors import ArchiveError
from etl.archive.keys import fingerprint, load_public_key
from etl.archive.manifest import FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE, UNLISTED, sha256_of


@dataclass(frozen=True)
class Problem:
    kind: str  # missing | extra | altered | signature | manifest | name | key
    path: str
    message: str  # Russian, for people


@dataclass
class Verification:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    key_fingerprint: str | None = None
    key_from_archive: bool = True  # authenticity rests on the key inside the archive (no --pubkey)
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, path: str, message: str) -> None:
        self.problems.append(Problem(kind, path, message))


def verify(folder: Path, pubkey: Path | None = None, *, expected_name: str | None = None) -> Verification:
    """Every problem of the copy in `folder`; `pubkey` is the school's public key file (else the archive's
    own, which proves integrity but not who signed). `expected_name` overrides the folder-name check
    (used on a copy before it is renamed into place)."""
    folder = Path(folder)
    v = Verification(folder, key_from_archive=pubkey is None)
    if not folder.is_dir():
        raise ArchiveError(f"{folder}: папка архива не найдена")
    raw = _read(folder / MANIFEST)
    if raw is None:
        v.add("manifest", MANIFEST, f"нет файла {MANIFEST}: это не архив Завуча или копия не была дописана")
        return v
    try:
        manifest = json.loads(raw.decode("utf-8"))
        files = manifest["files"]
        name = manifest["name"]
        expected_key = manifest["signature"]["public_key_sha256"]
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        v.add("manifest", MANIFEST, f"{MANIFEST} повреждён: не читается как манифест архива ({FORMAT})")
        return v
    v.manifest = manifest
    _check_signature(v, folder, raw, pubkey, expected_key)
    if (expected_name or folder.name) != name:
        v.add("name", folder.name, f"папка называется «{folder.name}», а архив — «{name}»: это незавершённая "
                                   "или переименованная копия")
    _check_files(v, folder, files)
    return v


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def _check_signature(v: Verification, folder: Path, raw: bytes, pubkey: Path | None, expected: str) -> None:
    if pubkey is not None:
        data = _read(pubkey)
        if data is None:
            raise ArchiveError(f"{pubkey}: файл открытого ключа не найден")
        key = load_public_key(data, str(pubkey))
    else:
        data = _read(folder / PUBLIC_KEY)
        if data is None:
            v.add("key", PUBLIC_KEY, f"нет файла {PUBLIC_KEY}; проверьте подпись ключом школы: --pubkey FILE")
            return
        try:
            key = load_public_key(data, PUBLIC_KEY)
        except ArchiveError as e:
            v.add("key", PUBLIC_KEY, str(e))
            return
    v.key_fingerprint = fingerprint(key)
    if v.key_fingerprint != expected:
        v.add("key", PUBLIC_KEY if pubkey is None else str(pubkey),
              f"архив подписан другим ключом: в манифесте отпечаток {expected}, у ключа {v.key_fingerprint}")
        return
    sig = _read(folder / SIGNATURE)
    if sig is None:
        v.add("signature", SIGNATURE, f"нет файла подписи {SIGNATURE}")
        return
    try:
        key.verify(base64.b64decode(sig.strip(), validate=True), raw)
    except (InvalidSignature, binascii.Error, ValueError):
        v.add("signature", SIGNATURE, "подпись манифеста неверна: манифест или подпись изменены, "
                                      "целостность и подлинность архива не подтверждены")


def _check_files(v: Verification, folder: Path, files: list[dict[str, Any]]) -> None:
    listed = set()
    for f in files:
        rel = f["path"]
        listed.add(rel)
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            v.add("manifest", rel, f"в описи путь за пределами архива: {rel}")
            continue
        p = folder / rel
        if not p.is_file():
            v.add("missing", rel, f"нет файла {rel}")
            continue
        v.files_checked += 1
        size = p.stat().st_size
        if size != f["size"]:
            v.add("altered", rel, f"файл {rel} изменён: размер {size} байт, в манифесте {f['size']}")
        elif sha256_of(p) != f["sha256"]:
            v.add("altered", rel, f"файл {rel} изменён: контрольная сумма SHA-256 не совпадает с манифестом")
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_dir() or rel in UNLISTED or rel in listed:
            continue
        v.add("extra", rel, f"лишний файл {rel}: его нет в манифесте")
