"""Ed25519 signing keys of the school's archive (regulation 2.16: integrity and authenticity by signature).

The private key file is PKCS#8 PEM created with mode 0600 and never overwritten; its bytes are never
printed or logged. The public key (.pub, PEM) goes into every archive and to whoever verifies them;
its fingerprint (SHA-256 of the raw 32-byte key) is what people compare.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from etl.archive.errors import ArchiveError
from etl.school_files import unreadable

ENV_VAR = "ZAVUCH_ARCHIVE_KEY"
DEFAULT_KEY_PATH = Path("data") / "archive-signing.key"


def resolve_key_path(key: str | os.PathLike[str] | None = None) -> Path:
    """--key, else $ZAVUCH_ARCHIVE_KEY, else data/archive-signing.key."""
    return Path(key or os.environ.get(ENV_VAR) or DEFAULT_KEY_PATH)


def public_path_for(private: Path) -> Path:
    return private.with_name(private.name + ".pub")


@dataclass(frozen=True)
class GeneratedKey:
    private: Path
    public: Path
    fingerprint: str


def generate_keypair(private: Path) -> GeneratedKey:
    """Write a new private key (mode 0600, refusing to replace one) and its public key beside it."""
    public = public_path_for(private)
    for p in (private, public):
        if p.exists():
            raise ArchiveError(f"{p}: файл уже существует; ключ не перезаписывается (потеря ключа — потеря "
                               f"возможности подписывать архивы). Укажите другой путь.")
    if not private.parent.is_dir():
        raise ArchiveError(f"папка {private.parent} не существует")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    _write_new(private, pem, 0o600)
    _write_new(public, public_pem(key.public_key()), 0o644)
    return GeneratedKey(private, public, fingerprint(key.public_key()))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: never follow or replace an existing file; the mode is set at creation, not after.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # the umask must not widen or narrow what we asked for
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: short enough to read out over the phone in groups."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The school's signing key; refused if missing, readable by others, or not an Ed25519 key."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ArchiveError(f"{path}: ключ подписи не найден. Создайте его: zavuch archive keygen "
                           f"--out {path}") from None
    try:
        data = path.read_bytes()
    except OSError as e:  # a key another user owns (0600): the person running create may not read it
        raise ArchiveError(unreadable(e)) from None
    if b"-----BEGIN PUBLIC KEY-----" in data:  # --key FILE.pub: told «readable by others (644)», it misled
        raise ArchiveError(f"{path}: это открытый ключ; подписывает закрытый — файл без .pub "
                           f"({path.with_suffix('') if path.suffix == '.pub' else 'тот, что создал zavuch archive keygen'})")
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise ArchiveError(f"{path}: закрытый ключ доступен другим пользователям "
                           f"(права {stat.S_IMODE(st.st_mode):o}); выполните chmod 600 {path}")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ArchiveError(f"{path}: не закрытый ключ Ed25519 в формате PEM без пароля") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ArchiveError(f"{path}: ключ не Ed25519")
    return key


def load_public_key(data: bytes, where: str) -> Ed25519PublicKey:
    """A public key from PEM bytes; `where` names the file in the message."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise ArchiveError(f"{where}: не открытый ключ в формате PEM") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ArchiveError(f"{where}: открытый ключ не Ed25519")
    return key
