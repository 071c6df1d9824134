"""ЭлЖур (eljur.ru) API v3: getrules, getperiods, getdiary, getmarks responses -> canonical bundle.

Every response is wrapped `{"response": {"state": 200, "error": null, "result": {…}}}` (data-formats §4.1);
the recording (`responses.jsonl`, as `zavuch pull eljur` writes it) keeps them verbatim. Shapes §4.2:

    getrules    relations.students{<id>: {lastname, firstname, gender, class, parallel}},
                relations.groups{<class>: {parallel, hometeacher_id, hometeacher_name}}, relations.schools[0]
    getperiods  students[{name, periods[{name, fullname, start yyyymmdd, end yyyymmdd, disabled}]}]
    getdiary    students{<id>: {days{yyyymmdd: {items{<num>: {name (subject), lesson_id, teacher (a name),
                grp (a subgroup's name), topic, homework{<id>: {value, individual}}}}}}}}
    getmarks    students{<id>: {lessons[{name (subject), marks[{value, date, lesson_id, weight, weight_float,
                count, comment, mtype{id, type, short}}]}]}}

A lesson is one diary item (class, day, number). ЭлЖур gives marks no ids and no entry times: a mark's
id is its student, lesson, work type and position there, and its entry time comes from scheduled pulls
(the loader's first_seen_at, docs/adapters.md). Absences inside the marks list (н, оп) are attendance
(data-formats §10.1 recommendation 4). The API is a student's view, so an import is a delta: marks
missing from a later pull are not marked deleted.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from etl.adapters.base import (
    AdapterError,
    Extract,
    ImportOptions,
    ensure_school_calendar,
    scale_refusal,
    sid,
    split_fio,
)
from etl.adapters.recording import FILE_NAME, Response, read_recording, recorded_at

SYSTEM = "eljur"
ABSENCE_VALUES = {"н": "Н", "оп": "ОП"}
PERIOD_KINDS = (("четверт", "quarter"), ("триместр", "trimester"), ("семестр", "semester"),
                ("полугод", "half_year"), ("модул", "module"), ("год", "year"))
METHODS = ("getrules", "getperiods", "getdiary", "getmarks")


class EljurAdapter:
    system = SYSTEM
    title = "ЭлЖур: записанные ответы API v3 (responses.jsonl, как пишет zavuch pull)"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        responses, data = read_recording(source, SYSTEM)
        extract = map_responses(SYSTEM, responses, options, {f"{SYSTEM}/{FILE_NAME}": data})
        extract.recorded_at = recorded_at(responses)
        return extract


def result(r: Response) -> dict[str, Any]:
    """The `result` of a wrapped response; AdapterError with ЭлЖур's own error text otherwise."""
    body = r.body.get("response", r.body) if isinstance(r.body, dict) else None
    if not isinstance(body, dict):
        raise AdapterError(f"{_where(r)}: ответ не объект ЭлЖур {{\"response\": …}}")
    state = body.get("state", 200)
    if state != 200:
        raise AdapterError(f"{_where(r)}: ЭлЖур вернул ошибку {state}: {body.get('error')}")
    res = body.get("result")
    if not isinstance(res, dict):
        raise AdapterError(f"{_where(r)}: в ответе нет result")
    return res


def map_responses(system: str, responses: list[Response], options: ImportOptions, raw: dict[str, bytes]) -> Extract:
    by: dict[str, list[Response]] = defaultdict(list)
    for r in responses:
        method = r.path.rstrip("/").split("/")[-1]
        if method in METHODS:
            by[method].append(r)
    if not by["getrules"]:
        raise AdapterError(f"{FILE_NAME}: нет ответа getrules (школа, классы, ученики)")
    ex = Extract(SYSTEM, "delta", raw=raw)
    rules_r = by["getrules"][0]
    rel = result(rules_r).get("relations") or {}
    schools = rel.get("schools") or [{}]
    school_name = options.school_name or schools[0].get("title") or schools[0].get("title_full")
    if not school_name:
        raise AdapterError(f"{_where(rules_r)}: нет названия школы (relations.schools); укажите --school-name")
    school = sid(SYSTEM, "school", schools[0].get("number") or _slug(school_name))
    ex.add("schools", {"id": school, "name": school_name, "full_name": schools[0].get("title_full"),
                       "timezone": options.zone})

    periods = [(r, p) for r in by["getperiods"] for s in result(r).get("students") or [] for p in s.get("periods") or []]
    diary = [(r, stu, day, item) for r in by["getdiary"] for stu, d in (result(r).get("students") or {}).items()
             for day, dd in (d.get("days") or {}).items() for item in (dd.get("items") or {}).values()]
    days = [_ymd(p.get(k), r) for r, p in periods for k in ("start", "end")] + [_ymd(day, r) for r, _, day, _ in diary]
    if not days:
        raise AdapterError(f"{FILE_NAME}: нет ни периодов (getperiods), ни дней дневника (getdiary)")
    years = ensure_school_calendar(ex, school, days)
    first_day = min(days)
    year_of = lambda d: years[d.year if d.month >= 9 else d.year - 1]  # noqa: E731

    classes: dict[str, str] = {}
    class_row: dict[str, int] = {}  # class name -> its row in the groups table
    students = rel.get("students") or {}
    found: list[tuple[str, str]] = []  # (scale, place): marks not on the five-point scale
    for name, g in (rel.get("groups") or {}).items():
        if _not_five(g.get("balls")):
            found.append((str(g["balls"]), f"{_where(rules_r)}: класс «{name}» (balls = {g['balls']})"))
        teacher = None
        if g.get("hometeacher_id"):
            teacher = _teacher(ex, school, g.get("hometeacher_name") or " ".join(
                filter(None, (g.get("hometeacher_lastname"), g.get("hometeacher_firstname"), g.get("hometeacher_middlename")))))
        classes[name] = sid(SYSTEM, "class", name)
        class_row[name] = len(ex.rows("groups"))
        ex.add("groups", {"id": classes[name], "school_id": school, "academic_year_id": year_of(first_day), "name": name,
                          "kind": "class", "grade": g.get("parallel"), "homeroom_teacher_id": teacher})
    student_class: dict[str, str] = {}
    for key, s in students.items():
        cls = s.get("class")
        if cls not in classes:
            raise AdapterError(f"{_where(rules_r)}: ученик {key} в классе «{cls}», которого нет в relations.groups")
        pid = sid(SYSTEM, "student", s.get("name") or key)
        student_class[str(s.get("name") or key)] = cls
        ex.add("people", {"id": pid, "school_id": school, "role": "student", "last_name": s.get("lastname"),
                          "first_name": s.get("firstname"), "sex": {"male": "m", "female": "f"}.get(str(s.get("gender")))})
        ex.add("memberships", {"id": sid(SYSTEM, "member", cls, key), "group_id": classes[cls], "student_id": pid,
                               "valid_from": first_day})

    _periods(ex, school, by["getperiods"], students, rel.get("groups") or {}, year_of)
    counters: dict[tuple, int] = defaultdict(int)

    lessons: dict[tuple[str, str, date], list[tuple[str, Any]]] = defaultdict(list)  # class, subject, day -> ids
    for r, stu, day, item in diary:
        ex.place = f"{_where(r)}, ученик {stu}, {day}, урок {item.get('num')} «{item.get('name')}»"
        cls = student_class.get(str(stu))
        if cls is None:
            raise AdapterError(f"{_where(r)}: ученик {stu} не описан в getrules")
        d = _ymd(day, r)
        subject = _subject(ex, school, item.get("name"))
        grp = str(item.get("grp") or "").strip()  # a subgroup's lesson: parallel halves share the number
        lid = sid(SYSTEM, "lesson", cls, d.strftime("%Y%m%d"), item.get("num"), *([_slug(grp)] if grp else []))
        if lid not in {x for x, _ in lessons[(cls, item.get("name"), d)]}:
            lessons[(cls, item.get("name"), d)].append((lid, item.get("lesson_id")))
        teacher = _teacher(ex, school, item.get("teacher")) if item.get("teacher") else None
        group = _subgroup(ex, ex.rows("groups")[class_row[cls]], grp, subject, str(stu), first_day) if grp \
            else classes[cls]
        ex.add_once("lessons", {"id": lid, "group_id": group, "subject_id": subject, "lesson_date": d,
                                "lesson_number": _int(item.get("num")), "planned_teacher_id": teacher,
                                "actual_teacher_id": teacher, "status": "held", "topic": item.get("topic") or None})
        for hid, hw in (item.get("homework") or {}).items():
            if hw.get("individual") or not hw.get("value"):
                continue
            ex.add_once("homework", {"id": sid(SYSTEM, "homework", hw.get("id") or hid), "lesson_id": lid,
                                     "text": hw["value"]})

    for r in by["getmarks"]:
        # a mark's id is its position among its student's marks of that lesson and work type in one response:
        # the same marks in another response (a line recorded twice, overlapping windows) are the same rows
        counters.clear()
        for stu, data in (result(r).get("students") or {}).items():
            cls = student_class.get(str(stu))
            if cls is None:
                raise AdapterError(f"{_where(r)}: ученик {stu} не описан в getrules")
            pid = sid(SYSTEM, "student", stu)
            for les in data.get("lessons") or []:
                subject = _subject(ex, school, les.get("name"))
                for m in les.get("marks") or []:
                    ex.place = f"{_where(r)}, ученик {stu}, «{les.get('name')}», отметка за {m.get('date')}"
                    d = _ymd(m.get("date"), r)
                    lid = _lesson_of(ex, lessons, classes, cls, les.get("name"), subject, d, m.get("lesson_id"))
                    value = str(m.get("value") or "").strip()
                    if not value:  # an empty mark would load as one and count in the pupil's marks
                        raise AdapterError(f"{_where(r)}: у отметки ученика {stu} по предмету «{les.get('name')}» "
                                           f"за {d:%d.%m.%Y} нет value (поля: {', '.join(m) or 'нет'})")
                    if value.lower() in ABSENCE_VALUES:
                        ex.add_once("attendance", {"id": sid(SYSTEM, "absence", stu, lid), "student_id": pid,
                                                   "lesson_id": lid, "code": ABSENCE_VALUES[value.lower()],
                                                   "comment": m.get("comment") or None})
                        continue
                    if _not_five(m.get("max_mark")):
                        found.append((str(m["max_mark"]), f"{ex.place} (max_mark = {m['max_mark']})"))
                    mtype = m.get("mtype") or {}
                    wt = None
                    if mtype.get("id") is not None:
                        wt = sid(SYSTEM, "mtype", mtype["id"])
                        ex.add_once("work_types", {"id": wt, "school_id": school, "name": mtype.get("type"),
                                                   "abbr": mtype.get("short")})
                    key = (stu, lid, mtype.get("id"))
                    counters[key] += 1
                    ex.add_once("marks", {"id": sid(SYSTEM, "mark", stu, lid.split(":", 2)[2], mtype.get("id") or "-",
                                                    counters[key]),
                                          "student_id": pid, "lesson_id": lid, "work_type_id": wt, "value": value,
                                          "weight": m.get("weight_float") or m.get("weight"),
                                          "counts_in_average": m.get("count"), "comment": m.get("comment") or None})
    ex.place = None
    if found:
        raise scale_refusal(found, "5")
    return ex


def _not_five(scale: Any) -> bool:
    """A class's `balls` or a mark's `max_mark` (data-formats §4.2) that names a scale other than five points."""
    return scale not in (None, "") and str(scale).strip() not in ("5", "5.0")


def _periods(ex: Extract, school: str, responses: list[Response], students: dict[str, Any], groups: dict[str, Any],
             year_of: Callable[[date], str]) -> None:
    """getperiods lists periods per student: parallels with the same list of periods form one grade band
    (semesters for 2–9, half-years for 10–11), and each band gets its own periods."""
    parallel = {str(s.get("name") or k): (groups.get(s.get("class")) or {}).get("parallel") for k, s in students.items()}
    every = sorted({g.get("parallel") for g in groups.values() if g.get("parallel")})
    lists: dict[tuple, tuple[Response, list[dict[str, Any]]]] = {}
    bands: dict[tuple, set[int]] = defaultdict(set)
    for r in responses:
        for s in result(r).get("students") or []:
            own = [p for p in s.get("periods") or [] if not p.get("disabled")]
            key = tuple((str(p.get("start")), str(p.get("end")), str(p.get("fullname") or p.get("name"))) for p in own)
            lists.setdefault(key, (r, own))
            grade = parallel.get(str(s.get("name")))
            bands[key].update([grade] if grade else every)
    for key, (r, own) in lists.items():
        lo, hi = min(bands[key], default=None), max(bands[key], default=None)
        counters: dict[str, int] = defaultdict(int)
        for p in sorted(own, key=lambda p: str(p.get("start"))):
            kind = next((v for stem, v in PERIOD_KINDS if stem in str(p.get("fullname") or p.get("name")).lower()),
                        "custom")
            counters[kind] += 1
            start = _ymd(p.get("start"), r)
            ex.add_once("periods", {"id": sid(SYSTEM, "period", p.get("start"), p.get("end"), f"{lo}-{hi}"),
                                    "school_id": school, "academic_year_id": year_of(start),
                                    "name": p.get("fullname") or p.get("name"), "kind": kind, "number": counters[kind],
                                    "start_date": start, "end_date": _ymd(p.get("end"), r), "grade_from": lo,
                                    "grade_to": hi})


def _subgroup(ex: Extract, cls: dict[str, Any], name: str, subject: str, student: str, since: date) -> str:
    """A diary item's `grp` (§4.2) is the subgroup the pupil attends; its members are the pupils whose
    diaries show it."""
    group = sid(SYSTEM, "group", cls["id"].split(":", 2)[2], _slug(name))
    ex.add_once("groups", {"id": group, "school_id": cls["school_id"], "academic_year_id": cls["academic_year_id"],
                           "name": name, "kind": "subgroup", "grade": cls["grade"], "parent_group_id": cls["id"],
                           "subject_id": subject})
    ex.add_once("memberships", {"id": sid(SYSTEM, "member", group.split(":", 2)[2], student), "group_id": group,
                                "student_id": sid(SYSTEM, "student", student), "valid_from": since})
    return group


def _lesson_of(ex: Extract, lessons: dict, classes: dict[str, str], cls: str, subject_name: str, subject: str,
               d: date, lesson_id: Any) -> str:
    """The diary lesson a mark belongs to: same class, subject and day (and lesson_id when both have it);
    a mark outside the diary's days gets a lesson of its own so it is not lost."""
    found = lessons.get((cls, subject_name, d)) or []
    for lid, source_lesson in found:
        if lesson_id and source_lesson and str(source_lesson) == str(lesson_id):
            return lid
    if found:
        return found[0][0]
    lid = sid(SYSTEM, "lesson", cls, d.strftime("%Y%m%d"), _slug(subject_name))
    ex.add_once("lessons", {"id": lid, "group_id": classes[cls], "subject_id": subject, "lesson_date": d,
                            "status": "held"})
    lessons[(cls, subject_name, d)].append((lid, lesson_id))
    return lid


def _subject(ex: Extract, school: str, name: Any) -> str:
    if not name:
        raise AdapterError(f"{FILE_NAME}: урок без названия предмета")
    subject = sid(SYSTEM, "subject", _slug(str(name)))
    ex.add_once("subjects", {"id": subject, "school_id": school, "name": name})
    return subject


def _teacher(ex: Extract, school: str, name: str) -> str:
    """ЭлЖур names a teacher only by a string (§4.3): the id is the name's hash."""
    pid = sid(SYSTEM, "teacher", _slug(name))
    last, first, middle = split_fio(name)
    ex.add_once("people", {"id": pid, "school_id": school, "role": "teacher", "last_name": last, "first_name": first,
                           "middle_name": middle})
    return pid


def _ymd(text: Any, r: Response) -> date:
    s = str(text or "").strip()
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:8])) if len(s) == 8 and s.isdigit() else date.fromisoformat(s[:10])
    except ValueError:
        raise AdapterError(f"{_where(r)}: «{text}» — не дата вида ГГГГММДД или ГГГГ-ММ-ДД") from None


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _slug(name: str) -> str:
    return hashlib.sha1(" ".join(name.split()).lower().encode("utf-8")).hexdigest()[:12]


def _where(r: Response) -> str:
    return f"{FILE_NAME}, строка {r.line} ({r.path})"
