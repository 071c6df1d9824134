"""The common interface of source adapters and the one way their output reaches the warehouse.

An adapter reads a system's data (API responses, a saved report page, a database) and returns an
`Extract`: canonical rows per bundle table (etl/bundle_spec.py) plus the untouched source records.
`write_bundle` turns it into an ordinary bundle folder (one CSV per table, manifest.toml, raw/ with the
source records, which the loader ignores), and `import_extract` hands that folder to
etl.loader.load_bundle, so validation, rejects, atomicity and first_seen_at work exactly as for
`zavuch load`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from etl.bundle_spec import MANIFEST_NAME, SOURCE_SYSTEMS, TABLES, TABLES_BY_NAME
from etl.loader import LoadProgress, LoadReport, load_bundle
from etl.russian import plural

Mode = Literal["snapshot", "delta"]
R = TypeVar("R")
T = TypeVar("T")
RAW_DIR = "raw"
DEFAULT_TIMEZONE = "Europe/Moscow"  # data-formats §9: МЭШ is Moscow; the other systems name no zone


class AdapterError(Exception):
    """The source cannot be mapped; the message names the file, the place in it and what is wrong."""


@dataclass
class Extract:
    """What an adapter read, in canonical shape, with the raw source records kept alongside."""

    system: str  # bundle source_system (etl/bundle_spec.SOURCE_SYSTEMS)
    # snapshot: the extract is the whole journal of its schools in its date range, rows it lacks were
    # deleted in the source; delta: it covers only part (one student's page), absent rows say nothing.
    mode: Mode
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)  # path under raw/ -> content
    notes: list[str] = field(default_factory=list)  # plain-language remarks for the person importing
    manifest: dict[str, str] = field(default_factory=dict)  # extra manifest keys (pull times, source)
    # When the source was read from the system (a recording's latest HTTP Date, etl/adapters/recording.py):
    # the batch's time, so first_seen_at of what it first carries is that time, not the day of the import.
    recorded_at: datetime | None = None
    # Where in the source the rows being added come from («responses.jsonl, строка 14 (…)»), set by the
    # adapter as it walks the source; kept per row in `places` so that a rejected row names the user's
    # file, not the line of the bundle CSV the import writes to a temporary folder.
    place: str | None = None
    places: dict[str, list[str | None]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        spec = TABLES_BY_NAME[table]
        unknown = set(row) - {c.name for c in spec.columns}
        if unknown:
            raise KeyError(f"{table}: columns not in bundle_spec: {sorted(unknown)}")
        self.tables.setdefault(table, []).append(row)
        self.places.setdefault(table, []).append(self.place)

    def add_once(self, table: str, row: dict[str, Any]) -> None:
        """Add a dimension row unless a row with the same id is already there."""
        seen = self._ids.get(table)
        if seen is None:  # built once: setdefault would rebuild it on every call (quadratic on 255 000 marks)
            seen = self._ids[table] = {r["id"] for r in self.tables.get(table, [])}
        if row["id"] not in seen:
            seen.add(row["id"])
            self.add(table, row)

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def __post_init__(self) -> None:
        if self.system not in SOURCE_SYSTEMS:
            raise ValueError(f"unknown source system {self.system}")
        self._ids: dict[str, set[str]] = {}


class Adapter(Protocol):
    """One source system. `read` never touches the warehouse; it raises AdapterError on bad input."""

    system: str
    title: str  # Russian name for messages and `zavuch import --help`

    def read(self, source: Path, options: ImportOptions) -> Extract: ...


@dataclass(frozen=True)
class ImportOptions:
    """What the source itself may not say (a student's report page names no school id or grade)."""

    school_name: str | None = None
    # --timezone (a pull's `timezone`); None: not given, so the source's own zone (Дневник.ру School.timeZone),
    # else DEFAULT_TIMEZONE. Adapters read `zone`.
    timezone: str | None = None
    class_name: str | None = None  # the class, when a one-class export does not name it
    grade: int | None = None  # the class's grade when the source gives only its name
    student_name: str | None = None  # a one-student export that does not name the student

    @property
    def zone(self) -> str:
        """The school's zone when the source does not say it: --timezone, else Europe/Moscow."""
        return self.timezone or DEFAULT_TIMEZONE


def sid(system: str, *parts: object) -> str:
    """A warehouse id unique across systems: 'dnevnik_ru:1234', 'elschool:lesson:7:2022-09-28'."""
    return ":".join([system, *(str(p) for p in parts)])


def located(extract: Extract, pairs: Iterable[tuple[R, T]], where: Callable[[R], str]) -> Iterator[tuple[R, T]]:
    """Walk (response, item) pairs with `extract.place` set to the item's place in the source
    («responses.jsonl, строка 14 (…), запись 3»): the rows added meanwhile are traced to it."""
    seen: dict[int, int] = {}
    try:
        for r, item in pairs:
            n = seen[id(r)] = seen.get(id(r), 0) + 1
            extract.place = f"{where(r)}, запись {n}"
            yield r, item
    finally:
        extract.place = None


# ---------------------------------------------------------------- values

_RU_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\s*$")


def ru_date(text: str, where: str) -> date:
    """'28.09.2022' or '28.09.22' (NetSchool reports) -> date; AdapterError naming `where` otherwise."""
    m = _RU_DATE.match(text or "")
    if not m:
        raise AdapterError(f"{where}: «{text}» — не дата вида ДД.ММ.ГГГГ")
    d, mo, y = (int(g) for g in m.groups())
    if y < 100:
        y += 2000
    try:
        return date(y, mo, d)
    except ValueError:
        raise AdapterError(f"{where}: «{text}» — такой даты нет") from None


def scale_refusal(found: list[tuple[str, str]], five: str) -> AdapterError:
    """The refusal of a recording with marks on another scale than the five-point one (`five`, the source's
    name of it): `found` is (scale, place) per such mark. Завуч keeps the five-point scale (regulation 2.11):
    loaded, a ten-point «4» would read as a good five-point «4» (Дневник.ру mark10, МЭШ ten/hundred, ЭлЖур balls)."""
    scales = ", ".join(sorted({f"«{sc}»" for sc, _ in found}))
    n = len(found)
    return AdapterError(f"{found[0][1]} — по шкале {found[0][0]}, а Завуч ведёт отметки по пятибалльной шкале {five} "
                        f"(положение 2.11); в записи {n} {plural(n, 'такая отметка', 'такие отметки', 'таких отметок')} "
                        f"(шкалы {scales}): загруженные, они читались бы как пятибалльные («4» из 10 — хорошая «4»). "
                        "Журнал с такой шкалой Завуч не загружает (docs/adapters.md)")


_ISO = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def school_zone(name: str) -> ZoneInfo:
    """The school's time zone (ImportOptions.timezone, --timezone); AdapterError for a name that is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdapterError(f"часовой пояс «{name}» неизвестен: укажите его имя IANA, например Europe/Moscow, "
                           "Asia/Yekaterinburg, Asia/Novosibirsk (--timezone)") from None


def iso_datetime(text: str | None, where: str, zone: str | None) -> datetime | None:
    """ISO date or datetime as the school's naive local time, fractional seconds of any length (NetSchool,
    Дневник.ру quirks); None for an empty value. A value without an offset is school local already (the
    systems' rule, data-formats §9); one with an offset («…Z», «…+05:00»: NetSchool's assignmentDate) is
    moved into the school's `zone`: dropping the offset put a UTC 21:30 mark of a Moscow school at 21:30
    instead of 00:30 the next day, a day early. zone None: a calendar date (a birthday, a period's
    bounds), read as written."""
    if text in (None, ""):
        return None
    m = _ISO.match(str(text).strip())
    if not m:
        raise AdapterError(f"{where}: «{text}» — не дата и время вида ГГГГ-ММ-ДДTчч:мм:сс")
    day, hm, sec, offset = m.groups()
    try:
        local = datetime.fromisoformat(f"{day}T{hm or '00:00'}:{sec or '00'}")
    except ValueError:
        raise AdapterError(f"{where}: «{text}» — такой даты нет") from None
    if offset is None or zone is None:
        return local
    sign, digits = (1, "0000") if offset == "Z" else (1 if offset[0] == "+" else -1, offset[1:].replace(":", ""))
    shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (local - sign * shift).replace(tzinfo=UTC).astimezone(school_zone(zone)).replace(tzinfo=None)


def written_ts(value: datetime | None, text: Any) -> str | None:
    """Bundle text of a source time parsed from `text`, at the precision it was written: a date without a
    time («2025-09-03», МЭШ core «22.12.2017») is a date, not midnight to the second, so its lag is
    reported at date precision (issue 3), never as exact."""
    return ts(value, "second" if ":" in str(text) else "date")


def ts(value: datetime | date | None, precision: Literal["second", "date"] = "second") -> str | None:
    """Bundle text for a timestamp; a date-only value is written as a date so the loader records
    precision 'date' (etl/sql/macros.sql zv_precision)."""
    if value is None:
        return None
    if precision == "date" or not isinstance(value, datetime):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return value.strftime("%Y-%m-%d %H:%M:%S")


def academic_year_bounds(day: date) -> tuple[int, date, date]:
    """The school year a date belongs to (1 September – 31 August): start year and bounds."""
    start = day.year if day.month >= 9 else day.year - 1
    return start, date(start, 9, 1), date(start + 1, 8, 31)


def grade_of(class_name: str) -> int | None:
    """'3А' -> 3, '10 Б' -> 10; None when the name starts with no grade number."""
    m = re.match(r"^\s*(\d{1,2})", class_name or "")
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 11 else None


def split_fio(full: str) -> tuple[str, str, str | None]:
    """'Рюрикович Иван Васильевич' -> (last, first, middle); a single word is the last name."""
    parts = (full or "").split()
    if not parts:
        return "", "", None
    if len(parts) == 1:
        return parts[0], "—", None
    return parts[0], parts[1], " ".join(parts[2:]) or None


# ---------------------------------------------------------------- bundle

def write_bundle(extract: Extract, out_dir: Path) -> Path:
    """Write the extract as a bundle folder: CSV per non-empty table, manifest.toml, raw/ records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        rows = extract.rows(table.name)
        if not rows:
            continue
        cols = [c.name for c in table.columns]
        df = pl.DataFrame(
            {c: [_text(r.get(c)) for r in rows] for c in cols}, schema={c: pl.String for c in cols}
        )
        df.write_csv(out_dir / f"{table.name}.csv", null_value="")
    lines = [f'source_system = "{extract.system}"', f'mode = "{extract.mode}"']
    lines += [f"{k} = {_toml_str(v)}" for k, v in sorted(extract.manifest.items())]
    (out_dir / MANIFEST_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rel, content in extract.raw.items():
        p = out_dir / RAW_DIR / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)
    return out_dir


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return ts(v)
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _toml_str(v: str) -> str:
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class ImportResult:
    extract: Extract
    report: LoadReport
    bundle: Path | None  # the bundle folder when kept (--keep-bundle), else None


def import_extract(
    extract: Extract,
    db: Path,
    *,
    keep_bundle: Path | None = None,
    progress: LoadProgress | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Write the extract as a bundle and load it as one batch (BundleRefused propagates unchanged). The batch's
    time is `now` (a live pull's fetch), else when the source was recorded (`extract.recorded_at`), else
    the clock; a recording older than the latest batch is refused (etl.loader: older data over newer)."""
    places = {f"{t}.csv": rows for t, rows in extract.places.items() if any(rows)}
    recorded = now is None and extract.recorded_at is not None
    if recorded:
        extract.manifest["recorded_at"] = extract.recorded_at.isoformat(sep=" ")
        extract.notes.append(f"Данные загружены как на {extract.recorded_at:%d.%m.%Y %H:%M:%S} — когда сделана запись "
                             "ответов (заголовок Date), а не когда запущена загрузка: от этого времени считаются "
                             "границы задержки отметок без времени выставления.")
    now_source = "запись ответов сделана (заголовок Date)" if recorded else None
    now = now or extract.recorded_at
    if keep_bundle is not None:
        bundle = write_bundle(extract, Path(keep_bundle))
        return ImportResult(extract, load_bundle(bundle, db, progress=progress, now=now, now_source=now_source,
                                                 places=places), bundle)
    with tempfile.TemporaryDirectory(prefix="zavuch-import-") as tmp:
        bundle = write_bundle(extract, Path(tmp) / "bundle")
        return ImportResult(extract, load_bundle(bundle, db, progress=progress, now=now, now_source=now_source,
                                                 places=places), None)


def ensure_school_calendar(extract: Extract, school_id: str, days: Iterable[date]) -> dict[int, str]:
    """Academic-year rows covering `days` for sources that name no year; returns start year -> id."""
    out: dict[int, str] = {}
    for d in sorted(set(days)):
        start, first, last = academic_year_bounds(d)
        if start in out:
            continue
        out[start] = sid(extract.system, "year", school_id.split(":", 1)[-1], start)
        extract.add_once("academic_years", {
            "id": out[start], "school_id": school_id, "name": f"{start}/{start + 1}",
            "start_date": first, "end_date": last,
        })
    return out
