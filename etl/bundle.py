"""Open a bundle (folder or .zip): find one file per table, read the manifest, fingerprint the content.

Everything here happens before the warehouse is touched, so refusing the bundle writes nothing.
The files' content (hash, lines, encoding) is read in one background thread, in load order, while
the caller goes on: a first load stages the early tables while the big files are still being hashed.
"""

from __future__ import annotations

import codecs
import hashlib
import shutil
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from etl.bundle_spec import (
    DEFAULT_SOURCE_SYSTEM,
    LOAD_ORDER,
    MANIFEST_NAME,
    SOURCE_SYSTEMS,
    Table,
    resolve_table,
)
from etl.school_files import read_toml, unreadable

FileFormat = Literal["csv", "xlsx", "parquet", "jsonl"]
Mode = Literal["snapshot", "delta"]

FORMATS: dict[str, FileFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# Files a bundle may carry that are not tables: the demo generator's answer key and notes for people.
NOT_TABLES = frozenset({"ground_truth.csv"})
NOTE_SUFFIXES = frozenset({".md", ".pdf", ".docx"})


class BundleRefused(Exception):
    """The input cannot be loaded at all; the message says which file, line, column and what is wrong."""


@dataclass(frozen=True)
class Digest:
    sha256: str | None
    lines: int | None  # newline count: a cheap row estimate for the progress bar (text formats)
    ends_with_newline: bool
    utf8: str | None  # CSV only: 'utf-8-sig' (BOM), 'utf-8' (every byte valid), else None


@dataclass(frozen=True)
class BundleFile:
    table: Table
    path: Path  # on disk (zip members are extracted first)
    name: str  # as the school named it, for messages
    format: FileFormat
    pending: Future[Digest]  # read by the bundle's background thread; .digest waits for it
    _content: dict[str, Digest] = field(default_factory=dict, compare=False, repr=False)

    @property
    def digest(self) -> Digest:
        return self.pending.result()

    @property
    def sha256(self) -> str:
        return str(self.digest.sha256)

    @property
    def content(self) -> Digest:
        """Lines and encoding: read with the hash, or (bundle opened for its hash only) now, once."""
        if self.digest.lines is not None:
            return self.digest
        if not self._content:
            self._content["read"] = _digest(self.path, sha=False, text=self.format == "csv")
        return self._content["read"]

    @property
    def lines(self) -> int:
        return int(self.content.lines or 0)

    @property
    def data_lines(self) -> int:
        """Lines after the header: what a clean CSV file (no blank or multi-line rows) yields as rows."""
        c = self.content
        return max(int(c.lines or 0) - 1 + (0 if c.ends_with_newline else 1), 0)


@dataclass(frozen=True)
class Manifest:
    source_system: str = DEFAULT_SOURCE_SYSTEM
    mode: Mode = "snapshot"


@dataclass(frozen=True)
class Bundle:
    source: Path
    files: tuple[BundleFile, ...]  # in LOAD_ORDER
    manifest: Manifest
    reader: ThreadPoolExecutor

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(f.table.name for f in self.files)

    @property
    def sha256(self) -> str:
        """SHA-256 over the manifest settings and every table file (its table, format and content hash)."""
        h = hashlib.sha256(f"{self.manifest.source_system}\0{self.manifest.mode}\0".encode())
        for f in self.files:
            h.update(f"{f.table.name}\0{f.format}\0{f.sha256}\0".encode())
        return h.hexdigest()

    def close(self) -> None:
        """Stop reading files nobody waits for (a refused or finished load); their folder may go away."""
        self.reader.shutdown(wait=True, cancel_futures=True)


def open_bundle(path: Path, unpack_dir: Path, *, hash_only: bool = False) -> Bundle:
    """Resolve the bundle's files; a .zip is extracted into `unpack_dir` (which the caller cleans up).

    hash_only: the background thread reads only the content hashes (all a reload of an unchanged
    bundle needs); each file's lines and encoding are then read when first asked for.
    """
    if not path.exists():
        raise BundleRefused(f"{path}: нет такой папки или файла")
    try:
        return _open(path, unpack_dir, hash_only)
    except OSError as e:  # a file or folder the loader may not read: a refusal, not a traceback
        raise BundleRefused(unreadable(e)) from None


def _open(path: Path, unpack_dir: Path, hash_only: bool) -> Bundle:
    if path.is_dir():
        root, shown = path, _own_name
    elif path.suffix.lower() == ".zip":
        root = _unzip(path, unpack_dir)

        def shown(p: Path) -> str:
            """A member as the archive holds it, after the archive: «выгрузка.zip: Выгрузка/оценки.csv», not
            «оценки.csv» (which archive, which folder in it?)."""
            return f"{path}: {p.relative_to(unpack_dir).as_posix()}"
    else:
        raise BundleRefused(f"{path}: это не пакет данных: нужна папка или .zip с файлами таблиц")
    manifest = _read_manifest(root / MANIFEST_NAME)
    found = _find_tables(root, shown)
    if not found:
        deeper = _folder_with_tables(root)
        where = (f"; файлы таблиц лежат глубже, в папке «{deeper.relative_to(root).as_posix()}»: укажите эту папку "
                 "(или заархивируйте её саму)") if deeper else " (см. docs/data-format.md)"
        raise BundleRefused(f"{path}: в пакете нет ни одного файла таблицы{where}")
    # A first load reads in one thread beside DuckDB, in load order. A reload only hashes and waits for
    # every hash before anything else: the cores are idle, so two threads, the largest files first.
    reader = ThreadPoolExecutor(max_workers=2 if hash_only else 1, thread_name_prefix="bundle-digest")
    order = sorted(found, key=lambda f: -f[1].stat().st_size) if hash_only else found
    pending = {
        p: reader.submit(_digest, p, count=not hash_only, text=fmt == "csv" and not hash_only) for _, p, fmt in order
    }
    files = tuple(BundleFile(t, p, p.name, fmt, pending[p]) for t, p, fmt in found)
    return Bundle(path, files, manifest, reader)


def _unzip(path: Path, unpack_dir: Path) -> Path:
    try:
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.infolist() if not m.is_dir() and not _hidden(m.filename)]
            for m in members:
                m.filename = _member_name(m)
                if Path(m.filename).is_absolute() or ".." in Path(m.filename).parts:
                    raise BundleRefused(f"{path}: недопустимый путь внутри архива: {m.filename}")
            _refuse_zip_bomb(path, members, unpack_dir)
            for m in members:
                z.extract(m, unpack_dir)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise BundleRefused(f"{path}: архив повреждён или не читается ({e})") from None
    # A zipped folder holds everything under one top directory, or under a chain of them («Выгрузка/2025/»
    # when a school zips the folder its ЭЖ export landed in): look inside it.
    root = unpack_dir
    entries = [p for p in root.iterdir() if not _hidden(p.name)]
    while len(entries) == 1 and entries[0].is_dir():
        root = entries[0]
        entries = [p for p in root.iterdir() if not _hidden(p.name)]
    return root


def _member_name(m: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it. Without the UTF-8 flag the format says CP437, which
    Python applies; but Windows' «Отправить → Сжатая ZIP-папка» writes Russian names in CP866 and many
    Linux and macOS tools write UTF-8, both unflagged: «Отметки.csv» read as «ÄΓ¡ÑΓ¬¿.csv» was refused
    as an unknown table. The original bytes are UTF-8 when they decode so, else CP866."""
    if m.flag_bits & 0x800:
        return m.filename
    raw = m.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866")


# Journal tables compress about 5–20 : 1; a member that claims far more is a "zip bomb".
MAX_COMPRESSION_RATIO = 200


def _refuse_zip_bomb(path: Path, members: list[zipfile.ZipInfo], unpack_dir: Path) -> None:
    """Refuse before extracting anything: an absurd compression ratio, or more than the disk can hold."""
    for m in members:
        if m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) and m.file_size > 1_000_000:
            raise BundleRefused(
                f"{path}: файл {m.filename} в архиве разворачивается в {m.file_size // 1_000_000} МБ "
                f"из {m.compress_size // 1000} КБ: такой архив не распаковывается (защита от «zip-бомб»)"
            )
    total = sum(m.file_size for m in members)
    existing = next(p for p in (unpack_dir, *unpack_dir.parents) if p.exists())
    free = shutil.disk_usage(existing).free
    if total > free:
        raise BundleRefused(
            f"{path}: архив разворачивается в {total // 1_000_000} МБ, а свободно {free // 1_000_000} МБ"
        )


def _hidden(name: str) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in Path(name).parts)


def _read_manifest(path: Path) -> Manifest:
    if not path.exists():
        return Manifest()
    data = read_toml(path, MANIFEST_NAME, "файл", BundleRefused)
    source = data.get("source_system", DEFAULT_SOURCE_SYSTEM)
    if source not in SOURCE_SYSTEMS:
        raise BundleRefused(
            f"{MANIFEST_NAME}: source_system = «{source}» не поддерживается; допустимо: {', '.join(SOURCE_SYSTEMS)}"
        )
    mode = data.get("mode", "snapshot")
    if mode not in ("snapshot", "delta"):
        raise BundleRefused(f"{MANIFEST_NAME}: mode = «{mode}»; допустимо: snapshot (полный срез) или delta (только изменения)")
    return Manifest(source, mode)


def _folder_with_tables(root: Path) -> Path | None:
    """The first folder below `root` that holds a table file: where a bundle pointed one level too high is."""
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).parts
        if p.is_file() and len(rel) > 1 and not any(_hidden(part) for part in rel) \
                and p.suffix.lower() in FORMATS and resolve_table(p.stem) is not None:
            return p.parent
    return None


def _own_name(p: Path) -> str:
    return p.name


def _find_tables(root: Path, shown: Callable[[Path], str]) -> list[tuple[Table, Path, FileFormat]]:
    """(table, file, format) in LOAD_ORDER; refuse unknown, unsupported or doubled files, each named by
    `shown` (a member of a .zip together with the archive)."""
    found: dict[str, tuple[Table, Path, FileFormat]] = {}
    for p in sorted(root.iterdir()):
        if _hidden(p.name) or p.name == MANIFEST_NAME or p.name.lower() in NOT_TABLES:
            continue
        suffix = p.suffix.lower()
        if p.is_dir() and suffix in FORMATS and resolve_table(p.stem) is not None:
            # «homework.csv» that is a folder (an archiver unpacked it so): skipping it loaded the bundle
            # without its homework and said nothing
            raise BundleRefused(f"{shown(p)}: это папка, а не файл таблицы; положите на её место сам файл {p.name}")
        if p.is_dir() or suffix in NOTE_SUFFIXES:
            continue
        if suffix not in FORMATS:
            raise BundleRefused(
                f"{shown(p)}: формат «{p.suffix or 'без расширения'}» не поддерживается; "
                "сохраните таблицу как .csv, .xlsx, .parquet или .jsonl"
            )
        table = resolve_table(p.stem)
        if table is None:
            raise BundleRefused(
                f"{shown(p)}: неизвестная таблица «{p.stem}»; имена файлов: {', '.join(LOAD_ORDER)} "
                "или их русские названия (docs/data-format.md)"
            )
        if table.name in found:
            raise BundleRefused(f"{shown(p)} и {shown(found[table.name][1])}: два файла для одной таблицы {table.name}")
        found[table.name] = (table, p, FORMATS[suffix])
    return [found[t] for t in LOAD_ORDER if t in found]


def _digest(path: Path, *, sha: bool = True, count: bool = True, text: bool = False) -> Digest:
    """In one pass over the file: its content hash, newline count and whether the last line ends with
    one, and (text) whether the bytes are UTF-8. hashlib releases the GIL, so the bundle's thread
    costs the loader nothing while DuckDB works; an ASCII chunk needs no decoding."""
    h = hashlib.sha256() if sha else None
    lines = 0
    last = b"\n"
    decoder = codecs.getincrementaldecoder("utf-8")() if text else None
    utf8: str | None = None
    try:
        fh = path.open("rb")
    except OSError as e:  # read in the bundle's thread: .digest re-raises the refusal in the loader
        raise BundleRefused(unreadable(e)) from None
    with fh:
        first = True
        while chunk := fh.read(1 << 20):
            if h:
                h.update(chunk)
            if count:
                lines += chunk.count(b"\n")
                last = chunk[-1:]
            if first and decoder and chunk.startswith(codecs.BOM_UTF8):
                utf8, decoder = "utf-8-sig", None  # a BOM says UTF-8: the rest is not checked
            first = False
            if decoder and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoder = None
        if decoder:
            try:
                decoder.decode(b"", final=True)
                utf8 = "utf-8"
            except UnicodeDecodeError:
                pass
    return Digest(h.hexdigest() if h else None, lines if count else None, last == b"\n", utf8)
