"""Recorded API responses: the file form of a live API, shared by `zavuch pull` and `zavuch import`.

A recording is `responses.jsonl`: one JSON object per line, `{"method", "path", "query", "body", "date"}`,
where `path` is relative to the API root (`edu-groups/123/marks/2025-09-01T00:00:00/...`), `body`
is the response JSON exactly as the server sent it and `date` (optional) the response's HTTP `Date`
header, when the server sent it. Pulls write it; adapters map it; bundles keep it under raw/ so a mapping
can be redone later (data-formats §10.1, recommendation 1). The latest `date` is when the recording was
made (`recorded_at`): an import loads the recording as of that time, not as of the day it was imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from etl.adapters.base import AdapterError
from etl.school_files import unreadable

FILE_NAME = "responses.jsonl"
# Paths only one system's API has. A recording of another system is named as such instead of being mapped
# by the resources the two share (a Дневник.ру recording read as МЭШ loaded its school and subjects).
SYSTEM_PATHS: dict[str, re.Pattern[str]] = {
    "dnevnik_ru": re.compile(r"(^|/)(edu-groups|lesson-log-entries|work-types|works/many)(/|$)"),
    "mesh": re.compile(r"(^|/)(ej/core|mobile/api)/|(^|/)(class_units|student_profiles|teacher_profiles|"
                       r"periods_schedules|schedule_events|control_forms|academic_years|course_lesson_topics)$"),
    "netschool": re.compile(r"(^|/)api/mobile/|(^|/)(classmeetings|assignments)$"),
    "eljur": re.compile(r"(^|/)(getrules|getperiods|getdiary|getmarks)$"),
}
SYSTEM_NAMES = {"dnevnik_ru": "Дневник.ру", "kundelik_kz": "Kundelik.kz", "mesh": "МЭШ",
                "netschool": "«Сетевой город»", "eljur": "ЭлЖур"}
FAMILY = {"kundelik_kz": "dnevnik_ru"}  # the same API


@dataclass(frozen=True)
class Response:
    path: str
    body: Any
    method: str = "GET"
    query: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # line in the recording, for messages
    date: str | None = None  # the response's HTTP Date header («Mon, 15 Sep 2025 07:30:00 GMT»), if recorded


def recording_file(source: Path) -> Path:
    """The recording inside a folder, or the file itself."""
    p = source / FILE_NAME if source.is_dir() else source
    if not p.exists():
        raise AdapterError(f"{source}: нет файла {FILE_NAME} с записанными ответами API")
    return p


def read_recording(source: Path, system: str) -> tuple[list[Response], bytes]:
    """The responses of `system`'s recording and its bytes; AdapterError for a file that is not one."""
    p = recording_file(source)
    try:
        data = p.read_bytes()
    except OSError as e:  # no read permission (a cron job under another user), a folder of that name
        raise AdapterError(unreadable(e)) from None
    out: list[Response] = []
    try:
        text = data.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise AdapterError(f"{p.name}, строка {line}: файл не в кодировке UTF-8 (байт 0x{data[e.start]:02x}); "
                           "ответы API записываются в UTF-8") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise AdapterError(_not_a_recording(p, text, n, e.colno)) from None
        if not isinstance(rec, dict) or "path" not in rec or "body" not in rec:
            raise AdapterError(f"{p.name}, строка {n}: нужна запись вида {{\"path\": …, \"body\": …}}")
        out.append(Response(str(rec["path"]).strip("/"), rec["body"], rec.get("method", "GET"),
                            rec.get("query") or {}, n, rec.get("date") or None))
    if not out:
        raise AdapterError(f"{p.name}: в записи нет ни одного ответа API")
    _refuse_other_system(source, p.name, out, system)
    return out, data


def _refuse_other_system(source: Path, name: str, responses: list[Response], system: str) -> None:
    family = FAMILY.get(system, system)
    found = [(s, r) for r in responses for s, rx in SYSTEM_PATHS.items() if rx.search(r.path)]
    if found and family not in {s for s, _ in found}:
        other, r = found[0]
        raise AdapterError(f"{name}, строка {r.line} ({r.path}): это запись ответов API {SYSTEM_NAMES[other]}, "
                           f"а не {SYSTEM_NAMES[system]}; загрузите её так: zavuch import {other} {source}")


def _not_a_recording(p: Path, text: str, line: int, column: int) -> str:
    """Say what the file is instead of «not JSON»: a saved response (one pretty-printed JSON document), a
    web page (a login page saved in its place), or a recording cut off in its last line (a copy or a
    pull that stopped mid-write)."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        if text.lstrip().startswith("<"):
            what = "страница входа" if re.search(r"type\s*=\s*[\"']?password", text, re.IGNORECASE) else "страница HTML"
            return (f"{p.name}, строка {line}: это {what}, а не запись ответов API (по строке JSON на ответ); "
                    "запишите ответы командой zavuch pull (docs/adapters.md)")
        lines = text.splitlines()
        if line == len(lines) and not text.endswith("\n") and not lines[-1].rstrip().endswith("}"):
            return (f"{p.name}, строка {line}, позиция {column}: запись оборвана — последняя строка не дописана "
                    "(копирование или выгрузка прервались); скопируйте файл заново или повторите zavuch pull")
        return f"{p.name}, строка {line}, позиция {column}: это не JSON"
    return (f"{p.name}: это один документ JSON, а нужна запись ответов API: по строке на ответ, "
            f"{{\"path\": …, \"body\": …}} (docs/adapters.md)")


def recorded_at(responses: Iterable[Response]) -> datetime | None:
    """When the recording was made: its latest response `date` (HTTP Date, GMT) as this computer's local
    time, the clock every batch is stamped with; None when no response carries one. AdapterError for a
    `date` that is no HTTP date."""
    latest = None
    for r in responses:
        if r.date is None:
            continue
        try:
            at = parsedate_to_datetime(str(r.date))
        except (TypeError, ValueError):
            at = None
        if at is None or at.tzinfo is None:
            raise AdapterError(f"{FILE_NAME}, строка {r.line} ({r.path}): «{r.date}» — не время ответа HTTP "
                               "(заголовок Date, например «Mon, 15 Sep 2025 07:30:00 GMT»)")
        latest = max(latest or at, at)
    return latest.astimezone().replace(tzinfo=None) if latest else None


def recording_bytes(responses: Iterable[Response]) -> bytes:
    return "".join(
        json.dumps({"method": r.method, "path": r.path, "query": r.query, "body": r.body}
                   | ({"date": r.date} if r.date else {}), ensure_ascii=False) + "\n"
        for r in responses
    ).encode("utf-8")


def write_recording(responses: Iterable[Response], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(recording_bytes(responses))
    return path
