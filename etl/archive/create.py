"""`zavuch archive create`: the year's archive, signed, written and verified on every destination.

The content is staged once in a hidden folder on the first destination (tables, documents, README,
public key, manifest, signature), then copied to each destination by copies.write_copy, which verifies
every copy before giving it its name.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from etl.archive import sql
from etl.archive.copies import write_copy
from etl.archive.documents import DOCS_DIR, ArchiveDocument, build_documents
from etl.archive.errors import ArchiveError
from etl.archive.export import ExportedTable, export_tables
from etl.archive.keys import fingerprint, load_private_key, public_pem
from etl.archive.manifest import MANIFEST, PUBLIC_KEY, README, SIGNATURE, entry, manifest_bytes, sign
from etl.archive.readme import readme_text
from etl.archive.verify import Verification
from etl.norms import load_norms
from etl.warehouse import WarehouseMissing, connect_readonly

# Regulation 2.16 asks for "the whole necessary period" without naming it; the school's номенклатура дел
# names it. This note says so in the archive; --retention replaces it with the school's own wording.
DEFAULT_RETENTION = ("Хранить в течение срока, установленного номенклатурой дел школы для документов учёта "
                     "успеваемости (регламент, п. 2.16: «на протяжении всего необходимого срока»); две копии "
                     "на разных носителях в разных помещениях; целостность проверять командой "
                     "zavuch archive verify не реже раза в год и при каждом переносе на новый носитель.")
REGULATION = "Регламент ведения ЭЖ, пп. 2.15–2.17, 3.2, 3.3 (ГОСТ Р ИСО 15489-1)"


@dataclass(frozen=True)
class ArchiveYear:
    year_id: str
    year_name: str
    start_date: dt.date
    end_date: dt.date
    school_id: str
    school_name: str
    school_full_name: str | None
    region: str | None
    timezone: str


@dataclass
class CreateReport:
    name: str
    year: ArchiveYear
    copies: list[Verification] = field(default_factory=list)  # complete, verified copies
    failures: list[str] = field(default_factory=list)  # destinations that got no copy, with why
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    key_fingerprint: str = ""


def find_year(con: duckdb.DuckDBPyConnection, year: str, school_id: str | None = None) -> ArchiveYear:
    """The academic year named by id or name ('2025/2026'); one school's, so --school when several match."""
    rows = sql.relation(con, "lookup/year", {"year": year, "school_id": school_id}).fetchall()
    if not rows:
        raise ArchiveError(f"учебный год «{year}» не найден в хранилище" + (f" у школы «{school_id}»" if school_id else ""))
    if len(rows) > 1:
        raise ArchiveError(f"учебный год «{year}» есть у нескольких школ ({', '.join(r[4] for r in rows)}): "
                           "укажите --school")
    return ArchiveYear(*rows[0])


def archive_name(year: ArchiveYear, at: dt.datetime) -> str:
    def safe(s: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "_", s)
    return f"zavuch-archive_{safe(year.school_id)}_{safe(year.year_name.replace('/', '-'))}_{at:%Y%m%dT%H%M%S}"


def check_destinations(destinations: Sequence[Path], allow_single: bool) -> list[str]:
    """Refuse what cannot give two independent copies; return warnings for what merely looks risky."""
    if not destinations:
        raise ArchiveError("укажите, куда записать архив: --to ПАПКА (не меньше двух носителей, п. 2.16)")
    if len(destinations) < 2 and not allow_single:
        raise ArchiveError("регламент (п. 2.16) требует хранить архив минимум на двух носителях: укажите два "
                           "--to на разных носителях (или --allow-single, если вторую копию сделаете позже)")
    resolved = [d.resolve() for d in destinations]
    for d in destinations:
        if not d.is_dir():
            raise ArchiveError(f"папка {d} не существует: подключите носитель или создайте папку")
    if len(set(resolved)) < len(resolved):
        raise ArchiveError("одна и та же папка указана дважды: копии должны быть на разных носителях")
    devices = [d.stat().st_dev for d in resolved]
    if len(devices) > 1 and len(set(devices)) < len(devices):
        return ["несколько копий на одном устройстве: для хранения в разных помещениях (п. 2.16) "
                "перенесите одну из них на другой носитель"]
    return []


def create_archive(db: Path, destinations: Sequence[Path], key_path: Path, year: str, *,
                   school_id: str | None = None, created_by: str | None = None, retention: str | None = None,
                   document_date: dt.date | None = None, now: dt.datetime | None = None,
                   allow_single: bool = False, norms: dict[str, Any] | None = None,
                   on_step: Callable[[str], None] = lambda _: None) -> CreateReport:
    """Archive one school's academic year from the warehouse `db` to every destination folder."""
    destinations = [Path(d) for d in destinations]
    warnings = check_destinations(destinations, allow_single)
    key = load_private_key(Path(key_path))
    try:
        con = connect_readonly(db)
    except WarehouseMissing as e:
        raise ArchiveError(str(e)) from None
    try:
        y = find_year(con, year, school_id)
        at = now or dt.datetime.now(_zone(y.timezone)).replace(microsecond=0)
        name = archive_name(y, at)
        report = CreateReport(name, y, warnings=warnings, key_fingerprint=fingerprint(key.public_key()))
        stage = Path(tempfile.mkdtemp(dir=destinations[0], prefix=f".{name}.staging-"))
        try:
            on_step("Выгрузка данных за год")
            tables = export_tables(con, y.school_id, y.year_id, stage)
            on_step("Сводные ведомости и справки")
            docs = build_documents(con, y.school_id, y.year_id, document_date or at.date(),
                                   norms if norms is not None else load_norms())
            records = _records(con, y, at, created_by, retention, db)
            _stage_rest(stage, docs, key, records, report, tables)
            for d in destinations:
                on_step(f"Запись и проверка копии: {d}")
                try:
                    report.copies.append(write_copy(stage, d, name))
                except ArchiveError as e:
                    report.failures.append(str(e))
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    finally:
        con.close()
    return report


def _stage_rest(stage: Path, docs: list[ArchiveDocument], key: Ed25519PrivateKey, records: dict[str, Any],
                report: CreateReport, tables: list[ExportedTable]) -> None:
    """Documents, entries of the exported tables, public key, README, then the manifest and its signature."""
    (stage / DOCS_DIR).mkdir()
    files = []
    for d in docs:
        (stage / d.path).write_bytes(d.pdf)
        files.append(entry(stage, d.path, "document", title=d.title))
    for t in tables:
        files.append(entry(stage, t.parquet, "data", table=t.table, rows=t.rows))
        files.append(entry(stage, t.csv, "csv", table=t.table, rows=t.rows))
    (stage / PUBLIC_KEY).write_bytes(public_pem(key.public_key()))
    files.append(entry(stage, PUBLIC_KEY, "key"))
    (stage / README).write_text(readme_text(report.name, records, report.key_fingerprint), encoding="utf-8")
    files.append(entry(stage, README, "readme"))
    data = manifest_bytes(report.name, records, report.key_fingerprint, files)
    (stage / MANIFEST).write_bytes(data)
    (stage / SIGNATURE).write_bytes(sign(key, data))
    report.files = len(files) + 2
    report.bytes = sum(f.size for f in files) + len(data)


def _records(con: duckdb.DuckDBPyConnection, y: ArchiveYear, at: dt.datetime, created_by: str | None,
             retention: str | None, db: Path) -> dict[str, Any]:
    """Records-management metadata (ГОСТ Р ИСО 15489-1): what, whose, which year, when, by whom, how long."""
    info = dict(con.sql("SELECT key, value FROM warehouse_info").fetchall())
    return {
        "title": f"Архив электронного журнала {y.school_name} за {y.year_name} учебный год",
        "what": ("Данные электронного классного журнала за учебный год (уроки, отметки, итоговые отметки, "
                 "посещаемость, домашние задания, составы классов, учебный план, КТП) в Parquet и CSV; "
                 "сводные ведомости успеваемости за год и за отчётные периоды; справки по итогам проверки "
                 "ведения ЭЖ за отчётные периоды (PDF)"),
        "school": {"id": y.school_id, "name": y.school_name, "full_name": y.school_full_name, "region": y.region},
        "academic_year": {"id": y.year_id, "name": y.year_name, "start_date": y.start_date.isoformat(),
                          "end_date": y.end_date.isoformat()},
        "created_at": at.isoformat(),
        "created_by": created_by or getpass.getuser(),
        "retention": retention or DEFAULT_RETENTION,
        "basis": REGULATION,
        "system": f"Завуч {_version()}",
        "source": {"warehouse": str(Path(db).resolve()), **{f"warehouse_{k}": v for k, v in sorted(info.items())}},
    }


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now().astimezone().tzinfo or dt.timezone.utc


def _version() -> str:
    try:
        return version("zavuch")
    except PackageNotFoundError:
        return "(версия не установлена)"

