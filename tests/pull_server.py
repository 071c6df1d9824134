"""Local stand-ins for api.dnevnik.ru and a school's eljur.ru on 127.0.0.1: responses in the systems'
shapes, filtered by the date window asked for, with scripted faults (HTTP 500, a slow answer, an
expiring token)."""

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
from urllib.parse import parse_qs, urlsplit

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

    def token(self, request: BaseHTTPRequestHandler) -> str | None:
        return request.headers.get("Access-Token")

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
        if f.token(self) not in f.valid:
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


ELJUR_STUDENTS = ("501", "502")


def eljur_journal() -> dict[str, Any]:
    """15 school days (1–19 Sept 2025) of 5А: one algebra lesson a day, a mark per day for one of the two
    students (no ids, no times: as ЭлЖур gives them), an absence «н» on the first day."""
    marks: dict[str, list[dict[str, Any]]] = {s: [] for s in ELJUR_STUDENTS}
    for n, day in enumerate(SCHOOL_DAYS, start=1):
        marks[ELJUR_STUDENTS[n % 2]].append({"value": "5", "countas": "5", "count": True, "weight": 1,
                                             "date": day.isoformat(), "lesson_id": f"L{n}",
                                             "mtype": {"id": 1, "type": "Ответ на уроке", "short": "О"}})
    marks[ELJUR_STUDENTS[0]].append({"value": "н", "countas": "0", "count": False, "convert": 0,
                                     "date": SCHOOL_DAYS[0].isoformat(), "lesson_id": "L1"})
    return {"marks": marks}


class FakeEljur(FakeDnevnik):
    """apiv3 of a school's eljur.ru: the token and developer key come as query parameters."""

    def __init__(self, token_file: Path) -> None:
        super().__init__(token_file)
        self.data = eljur_journal()
        self.queries: list[dict[str, list[str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/apiv3"

    def token(self, request: BaseHTTPRequestHandler) -> str | None:
        q = parse_qs(urlsplit(request.path).query)
        with self.lock:
            self.queries.append(q)
        if q.get("devkey") != ["dev-key-1"] or q.get("vendor") != ["school5"]:
            return None
        return (q.get("auth_token") or [None])[0]

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        url = urlsplit(path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        name = url.path.removeprefix("/apiv3/")

        def ok(result: dict[str, Any]) -> tuple[int, Any]:
            return 200, {"response": {"state": 200, "error": None, "result": result}}

        if name == "getrules":
            return ok({"roles": ["administrator"], "relations": {
                "students": {s: {"name": s, "title": f"Ученик {s}", "lastname": f"Ученик{s}", "firstname": "Имя",
                                 "gender": "male", "class": "5А", "parallel": 5} for s in ELJUR_STUDENTS},
                "groups": {"5А": {"name": "5А", "parallel": 5, "balls": 5, "hometeacher_id": "77",
                                  "hometeacher_name": "Смирнова Ольга Ивановна"}},
                "schools": [{"number": "5", "title": "Школа № 5", "title_full": "МБОУ СОШ № 5"}]}})
        if name == "getperiods":
            return ok({"students": [{"name": "501", "periods": [
                {"name": "I", "fullname": "1 четверть", "disabled": False, "start": "20250901", "end": "20251024"}]}]})
        if name in ("getdiary", "getmarks"):
            lo, hi = (datetime.strptime(x, "%Y%m%d").date() for x in q["days"].split("-"))
            student = q["student"]
            if name == "getdiary":
                days = {f"{d:%Y%m%d}": {"name": f"{d:%Y%m%d}", "items": {"2": {
                    "num": "2", "name": "Алгебра", "lesson_id": f"L{n}", "teacher": "Смирнова Ольга Ивановна",
                    "topic": f"Тема {n}", "homework": {f"{n}": {"id": n, "value": f"№ {n}", "individual": False}}}}}
                    for n, d in enumerate(SCHOOL_DAYS, start=1) if lo <= d <= hi}
                return ok({"students": {student: {"name": student, "days": days}}})
            marks = [m for m in self.data["marks"][student] if lo <= date.fromisoformat(m["date"]) <= hi]
            return ok({"students": {student: {"name": student, "lessons": [{"name": "Алгебра", "marks": marks}]}}})
        return 404, {"response": {"state": 404, "error": "unknown method"}}
