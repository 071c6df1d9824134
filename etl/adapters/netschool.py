"""«Сетевой город. Образование» (NetSchool / SGO): the mobile API's diary and the «Успеваемость ученика» report.

Two inputs, both about one student (so the extract is a delta, data-formats §2):

* a recording (`responses.jsonl`, etl/adapters/recording.py) of mobile API responses (§2.3):
    education          [{class{id, name}, school{id, name}, schoolyear{startDate, endDate}}]
    users              [{id, lastName|name, firstName, middleName}]            the student(s)
    classmeetings      [{classmeetingId, studentId, day, scheduleTimeNumber, subjectId, subjectName,
                         teachers[{id, name}], lessonTheme, attendance, extraActivity, addEducation}]
                       (внеурочка and доп. образование, extraActivity/addEducation, are not the journal)
    assignments        [{classmeetingId, assignmentId, studentId?, result, resultDate, assignmentDate,
                         assignmentTypeId, assignmentTypeAbbr, assignmentTypeName, weight, dueDate,
                         description, comment, duty}]
  `resultDate` → mark entered_at (second), `assignmentDate` → homework entered_at (publish time);
  a debt (`duty` without a `result`) is no mark and is named in a note (_debts_note); a homework assignment (type «Домашнее задание» / ДЗ) with a description becomes the lesson's homework.
* the saved HTML report «Успеваемость ученика» (§2.5): a subject heading row, then rows
  `Тип задания | Тема | Дата урока | Дата выставления оценки | Оценка`; dates dd.mm.yy or dd.mm.yyyy;
  «Дата выставления оценки» → entered_at (date precision). The report names the student and class in its
  heading when it can; otherwise give --school-name --class --grade --student.

Special codes УП, Б, НП, ОТ, ОП, ОСВ (§2.4) in a mark or in a classmeeting's `attendance` are attendance,
never marks (data-formats §10.1 recommendation 4).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from etl.adapters.base import (AdapterError, Extract, ImportOptions, ensure_school_calendar, grade_of, iso_datetime, located,
                               ru_date, sid, split_fio, ts, written_ts)
from etl.adapters.pages import cell_text, no_table, read_page
from etl.adapters.recording import FILE_NAME, Response, read_recording, recorded_at

SYSTEM = "netschool"
SPECIAL_CODES = ("УП", "Б", "НП", "ОТ", "ОП", "ОСВ")
HOMEWORK_TYPES = ("домашнее задание", "дз")
DEBT_VALUES = ("", ".", "*")  # the report's «Оценка» of an assignment without a mark: a debt, or none yet
REPORT_HEADER = ("Тип задания", "Тема", "Дата урока", "Дата выставления оценки", "Оценка")


class NetSchoolAdapter:
    system = SYSTEM
    title = "«Сетевой город»: записанные ответы мобильного API (responses.jsonl) или отчёт «Успеваемость ученика» (.html)"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        is_recording = source.is_dir() or source.suffix.lower() in (".jsonl", ".json")
        if is_recording:
            responses, data = read_recording(source, SYSTEM)
            extract = map_mobile(responses, options, {f"{SYSTEM}/{FILE_NAME}": data})
            extract.recorded_at = recorded_at(responses)
            return extract
        return read_report(source, options)


def special_code(value: Any) -> str | None:
    """'ОП' / 'оп ' -> 'ОП'; None for a mark."""
    text = str(value or "").strip().upper()
    return text if text in SPECIAL_CODES else None


# ---------------------------------------------------------------- mobile API

def map_mobile(responses: list[Response], options: ImportOptions, raw: dict[str, bytes]) -> Extract:
    by: dict[str, list[tuple[Response, dict[str, Any]]]] = defaultdict(list)
    for r in responses:
        kind = r.path.rstrip("/").split("/")[-1]
        body = r.body if isinstance(r.body, list) else [r.body]
        for item in body:
            if not isinstance(item, dict):
                raise AdapterError(f"{_where(r)}: элемент ответа не объект")
            by[kind].append((r, item))
    if not by["education"]:
        raise AdapterError(f"{FILE_NAME}: нет ответа education (класс и школа ученика)")
    ex = Extract(SYSTEM, "delta", raw=raw)
    r, edu = by["education"][0]
    school_info, cls = edu.get("school") or {}, edu.get("class") or {}
    school = sid(SYSTEM, "school", school_info.get("id") or "school")
    ex.add("schools", {"id": school, "name": options.school_name or school_info.get("name") or school_info.get("shortName"),
                       "timezone": options.zone})
    if not ex.rows("schools")[0]["name"]:
        raise AdapterError(f"{_where(r)}: в ответе education нет названия школы; укажите --school-name")
    days = [iso_datetime(m.get("day"), _where(mr), None) for mr, m in by["classmeetings"]]
    years = ensure_school_calendar(ex, school, [d.date() for d in days if d])
    if not years:
        raise AdapterError(f"{FILE_NAME}: нет ни одного урока (classmeetings)")
    class_name = options.class_name or cls.get("name")
    grade = options.grade or grade_of(class_name or "")
    if not class_name or grade is None:
        raise AdapterError(f"{_where(r)}: не удалось узнать класс и параллель; укажите --class и --grade")
    group = sid(SYSTEM, "class", cls.get("id") or class_name)
    ex.add("groups", {"id": group, "school_id": school, "academic_year_id": next(iter(years.values())),
                      "name": class_name, "kind": "class", "grade": grade})
    for ur, u in located(ex, by["users"], _where):
        last, first, middle = (u.get("lastName"), u.get("firstName"), u.get("middleName")) if u.get("lastName") \
            else split_fio(u.get("name") or options.student_name or "")
        ex.add_once("people", {"id": sid(SYSTEM, "person", u.get("id")), "school_id": school, "role": "student",
                               "last_name": last, "first_name": first or "—", "middle_name": middle})
    first_day = min(d.date() for d in days if d)
    for p in ex.rows("people"):
        ex.add("memberships", {"id": sid(SYSTEM, "member", group, p["id"]), "group_id": group, "student_id": p["id"],
                               "valid_from": first_day})

    group_of = _subject_groups(ex, by, school, group, class_name, grade, first_day)
    lessons: dict[str, str] = {}  # classmeetingId -> lesson id
    extra: set[str] = set()  # classmeetings of внеурочка / доп. образование: not the class journal
    for mr, m in located(ex, by["classmeetings"], _where):
        cm = str(m.get("classmeetingId"))
        if m.get("extraActivity") or m.get("addEducation"):
            extra.add(cm)
            continue
        day = iso_datetime(m.get("day"), _where(mr), None)
        subject = sid(SYSTEM, "subject", m.get("subjectId") or m.get("subjectName"))
        ex.add_once("subjects", {"id": subject, "school_id": school, "name": m.get("subjectName")})
        teachers = m.get("teachers") or []
        teacher = None
        if teachers:
            teacher = sid(SYSTEM, "person", teachers[0].get("id"))
            last, first, middle = split_fio(teachers[0].get("name") or "")
            ex.add_once("people", {"id": teacher, "school_id": school, "role": "teacher", "last_name": last,
                                   "first_name": first, "middle_name": middle})
        if cm not in lessons:
            lessons[cm] = sid(SYSTEM, "lesson", cm)
            ex.add("lessons", {"id": lessons[cm], "group_id": group_of(m, subject), "subject_id": subject,
                               "lesson_date": day.date(),
                               "lesson_number": m.get("scheduleTimeNumber"), "planned_teacher_id": teacher,
                               "actual_teacher_id": teacher, "status": "held", "topic": m.get("lessonTheme") or None})
        code = special_code(m.get("attendance"))
        if code and m.get("studentId") is not None:
            ex.add_once("attendance", {"id": sid(SYSTEM, "absence", cm, m["studentId"]),
                                       "student_id": sid(SYSTEM, "person", m["studentId"]), "lesson_id": lessons[cm],
                                       "code": code})

    debts: list[str] = []  # places of assignments the pupil owes (duty, no result)
    for ar, a in located(ex, by["assignments"], _where):
        cm = str(a.get("classmeetingId"))
        if cm in extra or a.get("extraActivity"):
            continue
        if cm not in lessons:
            raise AdapterError(f"{_where(ar)}: задание {a.get('assignmentId')} относится к уроку {cm}, "
                               "которого нет в ответе classmeetings")
        student = a.get("studentId") or (by["users"][0][1].get("id") if len(by["users"]) == 1 else None)
        wt = a.get("assignmentTypeId")
        if wt is not None:
            ex.add_once("work_types", {"id": sid(SYSTEM, "type", wt), "school_id": school,
                                       "name": a.get("assignmentTypeName") or a.get("assignmentTypeAbbr"),
                                       "abbr": a.get("assignmentTypeAbbr")})
        kind = str(a.get("assignmentTypeName") or a.get("assignmentTypeAbbr") or "").strip().lower()
        if kind in HOMEWORK_TYPES and a.get("description"):
            due = iso_datetime(a.get("dueDate"), _where(ar), None)
            published = iso_datetime(a.get("assignmentDate"), _where(ar), options.zone)
            ex.add_once("homework", {"id": sid(SYSTEM, "assignment", a.get("assignmentId")), "lesson_id": lessons[cm],
                                     "text": a["description"], "due_date": due.date() if due else None,
                                     "entered_at": written_ts(published, a.get("assignmentDate"))})
        result = a.get("result")
        if result in (None, ""):
            if a.get("duty"):
                debts.append(f"{ex.place}: задание {a.get('assignmentId')} «{a.get('assignmentTypeName') or kind}»"
                             + (f", ученик {student}" if student is not None else ""))
            continue
        if student is None:  # the result was dropped without a word
            pupils = len(by["users"])
            raise AdapterError(f"{_where(ar)}: оценка «{result}» задания {a.get('assignmentId')} без ученика: в задании "
                               "нет studentId, а в ответе users "
                               + ("нет ни одного ученика" if not pupils else f"учеников несколько ({pupils})"))
        code = special_code(result)
        if code:
            ex.add_once("attendance", {"id": sid(SYSTEM, "absence", cm, student),
                                       "student_id": sid(SYSTEM, "person", student), "lesson_id": lessons[cm],
                                       "code": code, "comment": a.get("comment") or None})
            continue
        entered = iso_datetime(a.get("resultDate"), _where(ar), options.zone)
        if entered is None:  # the import time would stand in for it: every mark of the year "possibly late"
            raise AdapterError(f"{_where(ar)}: у оценки «{result}» задания {a.get('assignmentId')} нет resultDate "
                               "(когда выставлена); без него своевременность не посчитать — запись другой версии API?")
        ex.add("marks", {"id": sid(SYSTEM, "mark", a.get("assignmentId"), student),
                         "student_id": sid(SYSTEM, "person", student), "lesson_id": lessons[cm],
                         "work_type_id": sid(SYSTEM, "type", wt) if wt is not None else None, "value": str(result),
                         "weight": a.get("weight"), "comment": a.get("comment") or None,
                         "entered_at": written_ts(entered, a.get("resultDate")), "entered_at_source": f"{SYSTEM}:resultDate"})
    if debts:
        ex.notes.append(_debts_note(debts))
    if extra:
        ex.notes.append(f"Занятий внеурочной деятельности и дополнительного образования (extraActivity, addEducation): "
                        f"{len(extra)}. Это не уроки классного журнала: они не загружены, как и их задания и отметки.")
    return ex


def _debts_note(debts: list[str], what: str = "задание с пометкой «долг» без оценки") -> str:
    """A debt (`duty` without a `result`, data-formats §2.2–2.3: the pupil owes the assignment) is no mark: the
    canonical bundle holds it as the mark's absence, which is what control_work_incomplete counts for a
    control work; a placeholder «*» in its place would count as the mark set, and as a mark of unknown
    entry time. So debts are not loaded but named here; they were dropped without a word."""
    shown = "; ".join(debts[:3]) + ("; …" if len(debts) > 3 else "")
    return (f"Задолженностей ({what}): {len(debts)}. Они не загружены как отметки: "
            "у ученика нет отметки за это задание (за контрольную работу это покажет проверка «Контрольные без "
            f"полного ряда отметок»). {shown}")


def _subject_groups(ex: Extract, by: dict[str, list[tuple[Response, dict[str, Any]]]], school: str, group: str,
                    class_name: str, grade: int, first_day: date) -> Callable[[dict[str, Any], str], str]:
    """The group a classmeeting belongs to. Every NetSchool lesson names its subject group
    (`subjectGroupId`); a subject group that not every pupil of the recording attends is a subgroup
    (an English or informatics half of the class), with those pupils as members; any other is the class.
    A one-pupil recording therefore never makes subgroups: it cannot tell them from the class."""
    pupils = {str(u.get("id")) for _, u in by["users"]}
    seen: dict[str, set[str]] = defaultdict(set)
    for _, m in by["classmeetings"]:
        if m.get("subjectGroupId") is not None and m.get("studentId") is not None:
            seen[str(m["subjectGroupId"])].add(str(m["studentId"]))
    made: set[str] = set()

    def group_of(m: dict[str, Any], subject: str) -> str:
        key = str(m.get("subjectGroupId"))
        if m.get("subjectGroupId") is None or seen[key] >= pupils:
            return group
        sub = sid(SYSTEM, "group", key)
        if sub not in made:
            made.add(sub)
            ex.add("groups", {"id": sub, "school_id": school, "academic_year_id": ex.rows("groups")[0]["academic_year_id"],
                              "name": f"{class_name} {m.get('subjectName')} (группа {key})", "kind": "subgroup",
                              "grade": grade, "parent_group_id": group, "subject_id": subject})
            for pupil in sorted(seen[key]):
                ex.add("memberships", {"id": sid(SYSTEM, "member", sub, sid(SYSTEM, "person", pupil)), "group_id": sub,
                                       "student_id": sid(SYSTEM, "person", pupil), "valid_from": first_day})
        return sub

    return group_of


# ---------------------------------------------------------------- report «Успеваемость ученика»

_HEADING = re.compile(r"Ученик[:\s]+(?P<student>[^,;\n]+?)\s*(?:[,;]|\s)\s*класс[:\s]+(?P<cls>\d{1,2}\s*[А-ЯA-Z]?)", re.I)


def read_report(source: Path, options: ImportOptions) -> Extract:
    root, data = read_page(source)
    name = source.name
    rows = [[cell_text(c) for c in tr.xpath("./th|./td")] for tr in root.xpath("//tr")]
    try:
        start = next(i for i, cells in enumerate(rows) if cells[:1] == [REPORT_HEADER[0]])
    except StopIteration:
        raise no_table(root, name, f"таблица отчёта «Успеваемость ученика» (строка заголовков "
                       f"«{' | '.join(REPORT_HEADER)}»)", "«Сетевой город»") from None
    if tuple(rows[start][:5]) != REPORT_HEADER:
        raise AdapterError(f"{name}: столбцы отчёта «{' | '.join(rows[start])}», ожидались «{' | '.join(REPORT_HEADER)}»")
    heading = _HEADING.search(" ".join(root.text_content().split()))
    student_name = options.student_name or (heading.group("student") if heading else None)
    class_name = options.class_name or (heading.group("cls").replace(" ", "") if heading else None)
    grade = options.grade or grade_of(class_name or "")
    if not options.school_name:
        raise AdapterError(f"{name}: в отчёте нет названия школы; укажите --school-name")
    if not student_name or not class_name or grade is None:
        raise AdapterError(f"{name}: в отчёте не найдены ученик и класс; укажите --student, --class и --grade")

    ex = Extract(SYSTEM, "delta", raw={f"{SYSTEM}/{name}": data})
    ex.manifest["source_file"] = name
    school = sid(SYSTEM, "school", _slug(options.school_name))
    ex.add("schools", {"id": school, "name": options.school_name, "timezone": options.zone})
    entries, subject = [], None
    for n, cells in enumerate(rows, start=1):
        texts = [c for c in cells if c]
        if len(cells) < 5:
            if len(texts) == 1:
                subject = texts[0]  # a subject heading row (above or below the column headers)
            continue
        if n <= start + 1 or cells[:1] == [REPORT_HEADER[0]]:
            continue  # rows above the table, or the header repeated for the next subject
        if subject is None:
            raise AdapterError(f"{name}, строка таблицы {n}: отметка до первой строки с названием предмета")
        where = f"{name}, строка таблицы {n}"
        lesson_day = ru_date(cells[2], f"{where}, «Дата урока»")
        entered = ru_date(cells[3], f"{where}, «Дата выставления оценки»") if cells[3] else None
        entries.append((subject, cells[0], cells[1], lesson_day, entered, cells[4], n))
    if not entries:
        raise AdapterError(f"{name}: в отчёте нет ни одной отметки")
    years = ensure_school_calendar(ex, school, [e[3] for e in entries])
    group = sid(SYSTEM, "class", _slug(options.school_name), class_name)
    ex.add("groups", {"id": group, "school_id": school, "academic_year_id": years[min(years)], "name": class_name,
                      "kind": "class", "grade": grade})
    last, first, middle = split_fio(student_name)
    student = sid(SYSTEM, "person", _slug(options.school_name, student_name, class_name))
    ex.add("people", {"id": student, "school_id": school, "role": "student", "last_name": last, "first_name": first,
                      "middle_name": middle})
    ex.add("memberships", {"id": sid(SYSTEM, "member", student), "group_id": group, "student_id": student,
                           "valid_from": min(e[3] for e in entries)})
    seen: dict[str, int] = defaultdict(int)
    debts: list[str] = []
    for subject_name, wtype, topic, day, entered, value, n in entries:
        ex.place = f"{name}, строка таблицы {n}"
        subj = sid(SYSTEM, "subject", _slug(subject_name))
        ex.add_once("subjects", {"id": subj, "school_id": school, "name": subject_name})
        lesson = sid(SYSTEM, "lesson", _slug(subject_name), day.isoformat())
        ex.add_once("lessons", {"id": lesson, "group_id": group, "subject_id": subj, "lesson_date": day, "status": "held"})
        code = special_code(value)
        if code:
            ex.add_once("attendance", {"id": sid(SYSTEM, "absence", student, lesson), "student_id": student,
                                       "lesson_id": lesson, "code": code})
            continue
        if value.strip() in DEBT_VALUES:  # «.»/«*» is a debt (data-formats §7.2), an empty cell no mark: as `duty`
            debts.append(f"{ex.place}: «{wtype or 'задание'}» за {day:%d.%m.%Y}, в «Оценке» «{value}»")
            continue
        wt = sid(SYSTEM, "type", _slug(wtype)) if wtype else None
        if wt:
            ex.add_once("work_types", {"id": wt, "school_id": school, "name": wtype})
        key = f"{lesson}|{wtype}|{topic}"
        seen[key] += 1  # two marks of one kind on one lesson stay two marks
        ex.add("marks", {"id": sid(SYSTEM, "mark", _slug(key), seen[key]), "student_id": student, "lesson_id": lesson,
                         "work_type_id": wt, "value": value,
                         "entered_at": ts(entered, "date"),
                         "entered_at_source": f"{SYSTEM}:Дата выставления оценки"})
    ex.place = None
    if debts:
        ex.notes.append(_debts_note(debts, "«.» или «*» в «Оценке», или оценки нет"))
    return ex


def _slug(*parts: str) -> str:
    """A short stable id from names (the report carries no ids)."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def _where(r: Response) -> str:
    return f"{FILE_NAME}, строка {r.line} ({r.path})"

