"""Дневник.ру (and its twin Kundelik.kz): recorded REST API v2 responses -> canonical bundle.

Endpoints read (data-formats §1.2; the paths `zavuch pull dnevnik_ru` requests, etl/adapters/pull_dnevnik.py):
    schools/{s}                                  School
    schools/{s}/edu-groups                       EduGroup[] (a subgroup has parentIds)
    edu-groups/{g}/students                      {group, students: [{person, membershipstatus}]}
    schools/{s}/teachers                         Teacher[] (PascalCase)
    edu-groups/{g}/subjects                      Subject[]
    work-types/{s}                               WorkType[] (weight; isImportant = control work)
    edu-groups/{g}/reporting-periods             ReportingPeriod[]
    edu-groups/{g}/lessons/{from}/{to}           Lesson[]
    works/many                                   Work[] (Homework -> homework; PeriodMark -> final marks)
    edu-groups/{g}/marks/{from}/{to}             Mark[]
    lesson-log-entries/group/{g}                 LessonLogEntry[] (Attend = present: no row, but the roll was taken)
    edu-groups/{g}/final-marks                   [{person, reportingPeriod, per-subject-final-marks}]

Ids come from the `*_str` twins (64-bit ids exceed 2^53) and are prefixed 'dnevnik_ru:'. Times are
school local time, the school's zone from School.timeZone (own_zone); `Mark.date` is the mark's set time
(data-formats §1.2, [infer]) and becomes entered_at; a midnight value is a bare date and is kept at date
precision.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from etl.adapters.base import (
    DEFAULT_TIMEZONE,
    AdapterError,
    Extract,
    ImportOptions,
    iso_datetime,
    located,
    scale_refusal,
    school_zone,
    sid,
    ts,
)
from etl.adapters.recording import SYSTEM_NAMES, Response, read_recording, recorded_at
from etl.russian import plural

PERIOD_KINDS = {"quarter": "quarter", "trimester": "trimester", "semester": "semester",
                "halfyear": "half_year", "module": "module", "year": "year"}
ATTENDANCE_PRESENT = "Attend"
ATTENDANCE_STATUSES = ("Absent", "Ill", "Late", "Pass")

_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx)) for kind, rx in (
        ("school", r"^(?:v2(?:\.0)?/)?schools/[^/]+$"),
        ("groups", r"^(?:v2(?:\.0)?/)?schools/[^/]+/edu-groups$"),
        ("students", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/students$"),
        ("teachers", r"^(?:v2(?:\.0)?/)?schools/[^/]+/teachers$"),
        ("subjects", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/subjects$"),
        ("work_types", r"^(?:v2(?:\.0)?/)?work-types/[^/]+$"),
        ("periods", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/reporting-periods$"),
        ("lessons", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/lessons/[^/]+/[^/]+$"),
        ("works", r"^(?:v2(?:\.0)?/)?works/many$"),
        ("marks", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/marks/[^/]+/[^/]+$"),
        ("log", r"^(?:v2(?:\.0)?/)?lesson-log-entries/group/[^/]+$"),
        ("finals", r"^(?:v2(?:\.0)?/)?edu-groups/[^/]+/final-marks$"),
    )
)


class DnevnikRuAdapter:
    system = "dnevnik_ru"
    title = "Дневник.ру: записанные ответы REST API (responses.jsonl, как пишет zavuch pull)"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        responses, data = read_recording(source, self.system)
        extract = map_responses(self.system, responses, options, raw={f"{self.system}/responses.jsonl": data})
        extract.recorded_at = recorded_at(responses)
        return extract


class KundelikAdapter(DnevnikRuAdapter):
    system = "kundelik_kz"
    title = "Kundelik.kz (тот же API, что у Дневник.ру): записанные ответы REST API"


def map_responses(system: str, responses: list[Response], options: ImportOptions, raw: dict[str, bytes]) -> Extract:
    """Map recorded responses (any order) to canonical rows; a snapshot of the school's journal."""
    by_kind: dict[str, list[Response]] = defaultdict(list)
    for r in responses:
        kind = next((k for k, rx in _ROUTES if rx.match(r.path)), None)
        if kind is not None:
            by_kind[kind].append(r)
    if not any(by_kind.values()) and responses:
        raise AdapterError(f"responses.jsonl: ни один ответ не из API {system} (строка {responses[0].line}: "
                           f"{responses[0].path}); это запись другой системы?")
    if not by_kind["school"]:
        raise AdapterError("responses.jsonl: в записи нет ответа schools/{школа}: без школы данные не к чему привязать")
    return _Mapper(system, by_kind, options, raw).run()


# Lesson.status as read: cancelled / planned lessons; anything else is held, an unknown value with a note
LESSON_STATUSES = ("", "conducted", "held", "cancelled", "canceled", "planned")
FIVE_POINT = "mark5"  # Mark.type of the five-point scale (GET marks/values, data-formats §1.2)


class _Mapper:
    def __init__(self, system: str, by_kind: dict[str, list[Response]], options: ImportOptions,
                 raw: dict[str, bytes]) -> None:
        self.s = system
        self.by = by_kind
        self.opt = options
        self.ex = Extract(system, "snapshot", raw=raw)

    def id(self, *parts: object) -> str:
        return sid(self.s, *parts)

    def _at(self, text: str | None, r: Response) -> datetime | None:
        """A datetime of response `r` as the school's local time (an offset, if any, moved into its zone)."""
        return iso_datetime(text, _where(r), self.zone)

    def items(self, kind: str):
        """(response, item) for every list item of every response of that kind, the rows added meanwhile
        traced to the item (Extract.place)."""
        return located(self.ex, self._items(kind), _where)

    def _items(self, kind: str):
        for r in self.by.get(kind, []):
            body = r.body
            if not isinstance(body, list):
                raise AdapterError(f"{_where(r)}: ожидался список, получено {type(body).__name__}")
            for item in body:
                if not isinstance(item, dict):
                    raise AdapterError(f"{_where(r)}: элемент списка не объект")
                yield r, item

    def run(self) -> Extract:
        school_resp = self.by["school"][0]
        school = school_resp.body
        self.school = self.id(_sid(school, "id", school_resp))
        self.zone = own_zone(school, self.opt.timezone, _where(school_resp), SYSTEM_NAMES[self.s])
        self.ex.add("schools", {"id": self.school, "name": school.get("name") or school.get("fullName"),
                                "full_name": school.get("fullName"),
                                "region": school.get("municipality") or school.get("city"),
                                "timezone": self.zone})
        self._periods_and_years()
        self._groups()
        self._people()
        self._subjects_and_work_types()
        self._lessons()
        self._works()
        self._marks()
        self._log()
        self._finals()
        return self.ex

    # ------------------------------------------------------------ calendar and groups

    def _periods_and_years(self) -> None:
        self.group_periods: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.periods: dict[str, dict[str, Any]] = {}
        for r, p in self.items("periods"):
            gid = _path_id(r.path, "edu-groups")
            pid = self.id(_sid(p, "id", r))
            start, finish = _calendar(p.get("start"), r), _calendar(p.get("finish"), r)
            if start is None or finish is None:
                raise AdapterError(f"{_where(r)}: у отчётного периода {pid} нет дат start/finish")
            kind = PERIOD_KINDS.get(str(p.get("type", "")).lower(), "custom")
            row = self.periods.setdefault(pid, {
                "id": pid, "school_id": self.school, "name": p.get("name") or f"{p.get('number')} {kind}",
                "kind": kind, "number": p.get("number"), "start_date": start.date(), "end_date": finish.date(),
                "_year": p.get("year"), "_groups": set()})
            row["_groups"].add(gid)
            self.group_periods[gid].append(row)

    def _year_id(self, study_year: int) -> str:
        yid = self.id("year", self.school.split(":", 1)[1], study_year)
        self.ex.add_once("academic_years", {
            "id": yid, "school_id": self.school, "name": f"{study_year}/{study_year + 1}",
            "start_date": date(study_year, 9, 1), "end_date": date(study_year + 1, 8, 31)})
        return yid

    def _groups(self) -> None:
        self.groups: dict[str, dict[str, Any]] = {}
        for r, g in self.items("groups"):
            gid = _sid(g, "id", r)
            year = int(g.get("studyyear") or 0)
            if not year:
                raise AdapterError(f"{_where(r)}: у класса {g.get('name')} нет studyyear")
            parents = g.get("parentIds_str") or [str(x) for x in g.get("parentIds") or []]
            subjects = g.get("subjects") or []
            self.groups[gid] = {
                "id": self.id(gid), "school_id": self.school, "academic_year_id": self._year_id(year),
                "name": g.get("name"), "kind": "subgroup" if parents else "class", "grade": g.get("parallel"),
                "parent_group_id": self.id(parents[0]) if parents else None,
                "subject_id": self.id("subject", _ref(subjects[0])) if parents and len(subjects) == 1 else None,
            }
        # a subgroup's grade is its class's when the API leaves parallel empty
        for row in self.groups.values():
            if row["grade"] in (None, 0) and row["parent_group_id"]:
                parent = self.groups.get(row["parent_group_id"].split(":", 1)[1])
                row["grade"] = parent["grade"] if parent else None
            self.ex.add("groups", row)
        for pid, p in self.periods.items():
            grades = [self.groups[g]["grade"] for g in p["_groups"] if g in self.groups and self.groups[g]["grade"]]
            year = p["_year"] or (p["start_date"].year if p["start_date"].month >= 9 else p["start_date"].year - 1)
            self.ex.add("periods", {k: v for k, v in p.items() if not k.startswith("_")} | {
                "academic_year_id": self._year_id(int(year)),
                "grade_from": min(grades) if grades else None, "grade_to": max(grades) if grades else None})

    def _people(self) -> None:
        archived = 0
        for r, w in self.items("teachers"):
            pid = _sid(w, "Id", r, twin="IdStr")
            self.ex.add_once("people", {
                "id": self.id("person", pid), "school_id": self.school, "role": "teacher",
                "last_name": w.get("LastName"), "first_name": w.get("FirstName"), "middle_name": w.get("MiddleName"),
                "sex": _sex(w.get("Sex")), "position": w.get("NameTeacherPosition") or w.get("NameManagingPosition")})
        for r in self.by.get("students", []):
            body = r.body if isinstance(r.body, dict) else {"students": r.body}
            gid = _path_id(r.path, "edu-groups")
            group = self.groups.get(gid)
            if group is None:
                raise AdapterError(f"{_where(r)}: класс {gid} не описан в ответе schools/…/edu-groups")
            year = self.ex.rows("academic_years")
            start = next(y["start_date"] for y in year if y["id"] == group["academic_year_id"])
            for n, entry in enumerate(body.get("students") or [], start=1):
                self.ex.place = f"{_where(r)}, запись {n}"
                person = entry.get("person", entry)
                pid = _sid(person, "id", r)
                self.ex.add_once("people", {
                    "id": self.id("person", pid), "school_id": self.school, "role": "student",
                    "last_name": person.get("lastName"), "first_name": person.get("firstName"),
                    "middle_name": person.get("middleName"), "sex": _sex(person.get("sex"))})
                if str(entry.get("membershipstatus", "Active")) != "Active":
                    archived += 1
                    continue
                self.ex.add_once("memberships", {"id": self.id("member", gid, pid), "group_id": group["id"],
                                                 "student_id": self.id("person", pid), "valid_from": start})
        self.ex.place = None
        if archived:
            self.ex.notes.append(f"{archived} {plural(archived, 'запись', 'записи', 'записей')} учеников в архиве "
                                 "(выбыли) не включены в составы классов: "
                                 "API не сообщает дату выбытия")

    def _subjects_and_work_types(self) -> None:
        for r, s in self.items("subjects"):
            self.ex.add_once("subjects", {"id": self.id("subject", _sid(s, "id", r, twin="idStr")),
                                          "school_id": self.school, "name": s.get("name")})
        for r, w in self.items("work_types"):
            weight = w.get("weight")
            self.ex.add_once("work_types", {
                "id": self.id("work-type", _sid(w, "id", r)), "school_id": self.school,
                "name": w.get("title") or w.get("name"), "abbr": w.get("abbr") or w.get("abbreviation"),
                "weight": weight if weight not in (None, 0) else None, "is_control": w.get("isImportant")})

    # ------------------------------------------------------------ journal

    def _lessons(self) -> None:
        self.lessons: dict[str, dict[str, Any]] = {}
        self.odd_status: dict[str, list[Any]] = {}  # Lesson.status not known -> [lessons, first place]
        for r, ls in self.items("lessons"):
            lid = _sid(ls, "id", r)
            day = self._at(ls.get("date"), r)
            teachers = ls.get("teachers_str") or [str(t) for t in ls.get("teachers") or []]
            # the path's group id is the exact string; Lesson.group is a number that may be rounded
            group = str(ls.get("group_str") or _path_id(r.path, "edu-groups"))
            status = str(ls.get("status") or "").lower()
            subject = _ref(ls.get("subject")) or _ref(ls.get("subjectId"))
            if not subject:
                raise AdapterError(f"{_where(r)}: у урока {lid} не указан предмет")
            row = {"id": self.id("lesson", lid), "group_id": self.id(group),
                   "subject_id": self.id("subject", subject),
                   "lesson_date": day.date() if day else None, "lesson_number": ls.get("number"),
                   "planned_teacher_id": self.id("person", teachers[0]) if teachers else None,
                   "actual_teacher_id": self.id("person", teachers[0]) if teachers else None,
                   "status": "cancelled" if status in ("cancelled", "canceled") else
                             "planned" if status == "planned" else "held",
                   "topic": ls.get("title") or None}
            if lid not in self.lessons:
                self.lessons[lid] = row
                self.ex.add("lessons", row)
                if status not in LESSON_STATUSES:  # Lesson.status values are not public (data-formats §11.2)
                    self.odd_status.setdefault(str(ls["status"]), [0, self.ex.place])[0] += 1
        for value, (n, place) in self.odd_status.items():
            self.ex.notes.append(f"Уроков со статусом «{value}»: {n} (первый: {place}). Такого статуса Завуч не "
                                 "знает (значения Lesson.status не описаны, data-formats §11.2): они загружены как "
                                 "проведённые; если это отменённые уроки, сообщите разработчикам.")

    def _works(self) -> None:
        self.works: dict[str, dict[str, Any]] = {}
        for r, w in self.items("works"):
            wid = _sid(w, "id", r)
            self.works[wid] = w
            if w.get("type") != "Homework":
                continue
            lesson = str(w.get("lesson_str") or w.get("lesson") or "")
            if not lesson or not w.get("text"):
                continue
            due = _calendar(w.get("targetDate"), r)
            sent = self._at(w.get("sentDate"), r)
            self.ex.add_once("homework", {
                "id": self.id("work", wid), "lesson_id": self.id("lesson", lesson), "text": w.get("text"),
                "due_date": due.date() if due else None,
                "entered_by": self.id("person", w["createdBy"]) if w.get("createdBy") else None,
                "entered_at": _when(sent)})

    def _marks(self) -> None:
        without_lesson = 0
        undated: list[str] = []  # a mark without a set time is bounded by pulls; none with one is another API
        other_scale: list[tuple[str, str]] = []  # (Mark.type, place): a mark not on the five-point scale
        for r, m in self.items("marks"):
            mid = _sid(m, "id", r)
            work = self.works.get(str(m.get("work_str") or m.get("work") or ""), {})
            if work.get("type") == "PeriodMark":
                continue  # a period mark: read from final-marks
            lesson = m.get("lesson_str") or work.get("lesson_str") or m.get("lesson")
            if not lesson:
                without_lesson += 1
                continue
            if m.get("type") not in (None, "", FIVE_POINT):
                other_scale.append((str(m["type"]), f"{_where(r)}: отметка {mid}"))
                continue
            wt = m.get("workType") or work.get("workType")
            entered = self._at(m.get("date"), r)
            if entered is None:
                undated.append(f"{_where(r)}: у отметки {mid}")
            self.ex.add_once("marks", {
                "id": self.id("mark", mid), "student_id": self.id("person", _sid(m, "person", r)),
                "lesson_id": self.id("lesson", lesson), "work_type_id": self.id("work-type", wt) if wt else None,
                "value": m.get("value") if m.get("value") not in (None, "") else m.get("textValue"),
                "counts_in_average": m.get("use_avg_calc"),
                "entered_by": self.id("person", work["createdBy"]) if work.get("createdBy") else None,
                "entered_at": _when(entered), "entered_at_source": f"{self.s}:Mark.date"})
        for r, f in self._items("finals"):  # a final mark is a Mark too, with its own type
            for ps in f.get("per-subject-final-marks") or []:
                mark = ps.get("final-mark") or {}
                if mark.get("type") not in (None, "", FIVE_POINT):
                    place = f"{_where(r)}: итоговая отметка {mark.get('id_str') or mark.get('id')}"
                    other_scale.append((str(mark["type"]), place))
        if other_scale:
            raise scale_refusal(other_scale, FIVE_POINT)
        if undated and len(undated) == len(self.ex.rows("marks")):  # the import time would be every mark's bound
            raise AdapterError(f"{undated[0]} нет date (когда выставлена), как и у всех {len(undated)} отметок записи; "
                               "без неё своевременность не посчитать — запись другой версии API?")
        if without_lesson:
            self.ex.notes.append(f"{without_lesson} {plural(without_lesson, 'отметка', 'отметки', 'отметок')} без урока "
                                 "(итоговые за период) взяты только из final-marks")

    def _log(self) -> None:
        taken: dict[str, datetime] = {}
        for r, e in self.items("log"):
            lesson, person = _sid(e, "lesson", r), _sid(e, "person", r)
            status = e.get("status")
            created = self._at(e.get("createdDate"), r)
            if created and (lesson not in taken or created < taken[lesson]):
                taken[lesson] = created
            if status == ATTENDANCE_PRESENT:
                continue
            if status not in ATTENDANCE_STATUSES:
                raise AdapterError(f"{_where(r)}: неизвестный статус посещаемости «{status}» "
                                   f"(известны: {ATTENDANCE_PRESENT}, {', '.join(ATTENDANCE_STATUSES)})")
            self.ex.add_once("attendance", {
                "id": self.id("log", lesson, person), "student_id": self.id("person", person),
                "lesson_id": self.id("lesson", lesson), "code": status, "comment": e.get("comment") or None,
                "recorded_at": ts(created)})
        for lid, when in taken.items():
            if lid in self.lessons:
                self.lessons[lid]["attendance_taken_at"] = ts(when)

    def _finals(self) -> None:
        for r, f in self.items("finals"):
            gid = str(f.get("group_str") or f.get("group") or _path_id(r.path, "edu-groups"))
            period = f.get("reportingPeriod_str") or f.get("reportingPeriod")
            person = _sid(f, "person", r)
            for ps in f.get("per-subject-final-marks") or []:
                mark = ps.get("final-mark") or {}
                if mark.get("value") in (None, ""):
                    continue
                subject = ps.get("subject_str") or ps.get("subject")
                self.ex.add_once("final_marks", {
                    "id": self.id("mark", _sid(mark, "id", r)), "student_id": self.id("person", person),
                    "subject_id": self.id("subject", subject), "group_id": self.id(gid),
                    "period_id": self.id(period) if period else None, "kind": "period" if period else "year",
                    "value": mark.get("value"), "entered_at": _when(self._at(mark.get("date"), r))})


def own_zone(school: dict[str, Any], given: str | None, where: str, system: str = "Дневник.ру") -> str:
    """The school's zone: School.timeZone, the offset from UTC in whole hours (an int, data-formats §1.2, §1.5
    [client]), as the fixed-offset IANA zone Etc/GMT∓N (IANA's sign is reversed); a `given` zone (--timezone,
    a pull's `timezone`) with the same offset is kept by its name, one with another offset is refused in
    words: one of the two is wrong, and a mark set at 09:00 would move by the difference. Without
    School.timeZone: `given`, else Europe/Moscow. The source's zone used to be ignored, so a Yekaterinburg
    school imported without --timezone read its offset times as Moscow's."""
    raw = school.get("timeZone")
    if raw in (None, ""):
        return given or DEFAULT_TIMEZONE
    try:
        hours = int(str(raw).strip())
    except ValueError:
        hours = None
    if hours is None or not -12 <= hours <= 14:
        raise AdapterError(f"{where}: School.timeZone = «{raw}» — не смещение от UTC в целых часах (от -12 до 14); "
                           "укажите часовой пояс школы: --timezone (имя IANA, например Asia/Yekaterinburg)")
    own = f"Etc/GMT{-hours:+d}" if hours else "Etc/UTC"
    if given is None:
        return own
    zone, year = school_zone(given), datetime.now().year
    offsets = {zone.utcoffset(datetime(year, month, 15)) for month in (1, 7)}  # winter and summer time
    if offsets == {timedelta(hours=hours)}:
        return given
    theirs = " / ".join(sorted(_utc(o) for o in offsets))
    raise AdapterError(f"{where}: часовой пояс школы в {system} — {_utc(timedelta(hours=hours))} "
                       f"(School.timeZone = {raw}), а указан {given} — {theirs} (--timezone или timezone в настройках "
                       "выгрузки): время отметок и посещаемости сдвинулось бы на разницу. Уберите --timezone (будет "
                       f"взят пояс из {system}) или укажите пояс с тем же смещением")


def _utc(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def _sid(obj: dict[str, Any], key: str, r: Response, twin: str | None = None) -> str:
    """The id from its `*_str` twin (64-bit safe), else the number."""
    value = obj.get(twin or f"{key}_str") or obj.get(key)
    if value in (None, ""):
        raise AdapterError(f"{_where(r)}: у записи нет идентификатора {twin or key + '_str'}")
    return str(value)


def _ref(v: Any) -> str | None:
    """A reference that may be an id or an embedded object."""
    if isinstance(v, dict):
        return str(v.get("id_str") or v.get("idStr") or v.get("id"))
    return None if v in (None, "") else str(v)


def _path_id(path: str, after: str) -> str:
    parts = path.split("/")
    return parts[parts.index(after) + 1]


def _where(r: Response) -> str:
    return f"responses.jsonl, строка {r.line} ({r.path})"


def _calendar(text: str | None, r: Response) -> datetime | None:
    """A calendar day (a period's bounds, a due date) as written, whatever offset it carries."""
    return iso_datetime(text, _where(r), None)


def _when(t: datetime | None) -> str | None:
    """Midnight is how the API writes a bare date: keep it at date precision."""
    if t is None:
        return None
    return ts(t, "date") if t.time() == time(0) else ts(t)


def _sex(v: Any) -> str | None:
    s = str(v or "").lower()
    return "m" if s in ("male", "m", "м") else "f" if s in ("female", "f", "ж") else None
