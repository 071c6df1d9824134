"""Recorded API responses: the file form of a live API, shared by `zavuch pull` and `zavuch import`.

A recording is `responses.jsonl`: one JSON object per line, `{"method", "path", "query", "body"}`,
where `path` is relative to the API root (`edu-groups/123/marks/2025-09-01T00:00:00/...`) and `body`
is the response JSON exactly as the server sent it. Pulls write it; adapters map it; bundles keep it
under raw/ so a mapping can be redone later (data-formats §10.1, recommendation 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.adapters.base import AdapterError

FILE_NAME = "responses.jsonl"


@dataclass(frozen=True)
class Response:
    path: str
    body: Any
    method: str = "GET"
    query: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # line in the recording, for messages


def recording_file(source: Path) -> Path:
    """The recording inside a folder, or the file itself."""
    p = source / FILE_NAME if source.is_dir() else source
    if not p.exists():
        raise AdapterError(f"{source}: нет файла {FILE_NAME} с записанными ответами API")
    return p


def read_recording(source: Path) -> tuple[list[Response], bytes]:
    p = recording_file(source)
    data = p.read_bytes()
    out: list[Response] = []
    for n, line in enumerate(data.decode("utf-8-sig", errors="strict").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise AdapterError(f"{p.name}, строка {n}, позиция {e.colno}: это не JSON ({e.msg})") from None
        if not isinstance(rec, dict) or "path" not in rec or "body" not in rec:
            raise AdapterError(f"{p.name}, строка {n}: нужна запись вида {{\"path\": …, \"body\": …}}")
        out.append(Response(str(rec["path"]).strip("/"), rec["body"], rec.get("method", "GET"),
                            rec.get("query") or {}, n))
    if not out:
        raise AdapterError(f"{p.name}: в записи нет ни одного ответа API")
    return out, data


def recording_bytes(responses: Iterable[Response]) -> bytes:
    return "".join(
        json.dumps({"method": r.method, "path": r.path, "query": r.query, "body": r.body}, ensure_ascii=False) + "\n"
        for r in responses
    ).encode("utf-8")


def write_recording(responses: Iterable[Response], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(recording_bytes(responses))
    return path
