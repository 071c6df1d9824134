"""A local stand-in for api.dnevnik.ru on 127.0.0.1: recorded-shape responses, filtered by the date window
in the path, with scripted faults (HTTP 500, a slow answer, an expiring token)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SCHOOL, CLASS = "1000000000000000001", "2000000000000000001"
TEACHER, STUDENTS = "3000000000000000001", ("4000000000000000001", "4000000000000000002")
FIRST_DAY = date(2025, 9, 1)
SCHOOL_DAYS = [FIRST_DAY + timedelta(days=i) for i in range(19) if (FIRST_DAY + timedelta(days=i)).weekday() < 5]


def journal() -> dict[str, list[dict[str, Any]]]:
    """15 lessons (1–19 Sept 2025, weekdays), one mark per lesson with its set time, a roll per lesson."""
    lessons, marks, log = [], [], []
    for n, day in enumerate(SCHOOL_DAYS, start=1):
        lessons.append({"id": n, "id_str": f"6{n:02d}", "title": f"Тема урока {n}", "date": f"{day}T08:30:00",
                        "number": 1, "subject": {"id": 70, "id_str": "70"}, "works": [], "teachers_str": [TEACHER]})
        marks.append({"id": n, "id_str": f"9{n:02d}", "value": "5", "person_str": STUDENTS[n % 2],
                      "lesson_str": f"6{n:02d}", "date": f"{day}T15:00:00", "use_avg_calc": True})
        log.append({"person_str": STUDENTS[0], "lesson_str": f"6{n:02d}", "status": "Attend",
                    "createdDate": f"{day}T08:35:00"})
    return {"lessons": lessons, "marks": marks, "log": log}


class FakeDnevnik:
    def __init__(self, token_file: Path) -> None:
        self.data = journal()
        self.valid = {"token-1"}
        self.token_file = token_file
        self.hits: Counter[str] = Counter()
        self.faults: dict[str, list[str]] = {}  # path regex -> actions to play on successive hits
        self.expire_after: int | None = None  # requests after which token-1 expires and token-2 is issued
        self.total = 0
        self.lock = threading.Lock()
        handler = type("H", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v2.0"

    def __enter__(self) -> FakeDnevnik:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        p = path.split("?")[0].removeprefix("/v2.0/")
        if p == f"schools/{SCHOOL}":
            return 200, {"id": 1, "id_str": SCHOOL, "name": "Школа № 1"}
        if p == f"schools/{SCHOOL}/edu-groups":
            return 200, [{"id": 2, "id_str": CLASS, "name": "5А", "parallel": 5, "studyyear": 2025, "parentIds": []}]
        if p == f"schools/{SCHOOL}/teachers":
            return 200, [{"IdStr": TEACHER, "LastName": "Смирнова", "FirstName": "Ольга"}]
        if p == f"work-types/{SCHOOL}":
            return 200, [{"id": 10, "title": "Ответ на уроке", "weight": 1}]
        if p == f"edu-groups/{CLASS}/students":
            return 200, {"students": [{"person": {"id_str": s, "lastName": f"Ученик{i}", "firstName": "Имя"},
                                       "membershipstatus": "Active"} for i, s in enumerate(STUDENTS)]}
        if p == f"edu-groups/{CLASS}/subjects":
            return 200, [{"idStr": "70", "name": "Математика"}]
        if p == f"edu-groups/{CLASS}/reporting-periods":
            return 200, [{"id_str": "5", "start": "2025-09-01T00:00:00", "finish": "2025-12-26T00:00:00",
                          "number": 1, "type": "Semester", "name": "1 семестр", "year": 2025}]
        if p == f"edu-groups/{CLASS}/final-marks":
            return 200, []
        if p == "works/many":
            return 200, []
        m = re.fullmatch(rf"edu-groups/{CLASS}/(lessons|marks)/([^/]+)/([^/]+)", p)
        if m:
            lo, hi = datetime.fromisoformat(m.group(2)).date(), datetime.fromisoformat(m.group(3)).date()
            key = "lessons" if m.group(1) == "lessons" else "marks"
            lesson_day = {ls["id_str"]: ls["date"][:10] for ls in self.data["lessons"]}
            rows = [r for r in self.data[key]
                    if lo <= date.fromisoformat((r["date"] if key == "lessons" else lesson_day[r["lesson_str"]])[:10]) <= hi]
            return 200, rows
        if p == f"lesson-log-entries/group/{CLASS}":
            q = dict(x.split("=", 1) for x in path.split("?", 1)[1].split("&"))
            lo, hi = (datetime.fromisoformat(q[k].replace("%3A", ":")).date() for k in ("from", "to"))
            return 200, [e for e in self.data["log"] if lo <= date.fromisoformat(e["createdDate"][:10]) <= hi]
        return 404, {"type": "notFound", "description": p}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDnevnik

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _serve(self, method: str) -> None:
        f = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        path = self.path.split("?")[0]
        with f.lock:
            f.total += 1
            f.hits[path] += 1
            if f.expire_after is not None and f.total > f.expire_after and "token-1" in f.valid:
                f.valid = {"token-2"}
                f.token_file.write_text("token-2\n", encoding="utf-8")  # the refresher job
            action = None
            for rx, actions in f.faults.items():
                if re.search(rx, path) and actions:
                    action = actions.pop(0)
                    break
        if self.headers.get("Access-Token") not in f.valid:
            return self._reply(401, {"type": "invalidToken", "description": "Token is expired"})
        if action == "500":
            return self._reply(500, {"type": "serverError"})
        if action == "slow":
            time.sleep(1.0)
        self._reply(*f.route(method, self.path, body))

    def _reply(self, code: int, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (timeout test)
            pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")
