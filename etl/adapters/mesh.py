"""МЭШ (school.mos.ru; also authedu.mosreg.ru): recorded API responses -> canonical bundle.

МЭШ publishes no description of a school-level (administrator) API; its family and core APIs are known
from public clients (data-formats §3). The recording (`responses.jsonl`, etl/adapters/recording.py) holds
one response per resource, matched by the path's last segment:

    schools/{id}          {id, name|short_name, full_name, municipality}
    academic_years        [{id, name, begin_date, end_date}]                                   §3.6
    periods_schedules     [{id, academic_year_id, periods[{id, name, begin_date, end_date,
                            is_vacation}]}]                                                    §3.6
    class_units           [{id, name, class_level_id, academic_year_id, home_based_teacher_id,
                            periods_schedule_id}]                                              [infer]
    teacher_profiles      [{id, last_name, first_name, middle_name, sex, birth_date, position}]   §3.1
    student_profiles      [{id, last_name, …, class_units[{class_unit_id, begin_date, end_date}]}]  [infer]
    subjects              [{id, name, short_name}]
    control_forms         [{id, name, short_name, weight, is_control}]                         §3.2, §7.3
    groups                [{id, name, subject_id, class_unit_ids, teacher_id, hours_per_week, is_subgroup,
                            students[{student_profile_id, begin_date, end_date}]}]              [infer]
    course_lesson_topics  [{id, group_id, position, planned_date, title, hours}]  (КТП)         [infer]
    schedule_events       eventcalendar events: {id, group_id, subject_id, start_at, lesson_number,
                            teacher_id, replaced, replaced_teacher_id, cancelled, lesson_theme,
                            course_lesson_topic_id}                                            §3.3
    marks                 core marks: {id, student_profile_id, schedule_lesson_id, control_form_id,
                            name|value, weight, comment, teacher_id, created_at, updated_at, is_point,
                            deleted_by (set: deleted, not loaded)}                             §3.2
                          (the mobile shape also: activity.schedule_item_id, control_form_name)
    attendances           core: {id, student_profile_id, schedule_lesson_id, absence_reason_id
                            (or absence_reason: its name), comment, teacher_id, created_at}     §3.5
    absence_reasons       the school's dictionary of absence reasons [{id, name}]             [infer]
    homeworks             core homework entries: {id, description, duration, created_at, updated_at,
                            deleted_at, schedule_lesson_id, homework{teacher_id, date_prepared_for,
                            deleted_at}}  (deleted_at set: deleted, not loaded)               §3.4
    final_marks           {id, student_profile_id, subject_id, group_id, period_id (null = year),
                            value, teacher_id, created_at}

A whole-class group (`is_subgroup` false) is the class itself; a subgroup becomes a canonical subgroup
with its own members. Every group is also a line of the curriculum (group × subject × teacher × hours).
`created_at` is the mark's entry time (second precision, §10.1), `updated_at` its change time.
A lesson is a substitution when `replaced`; the teacher who held it is `replaced_teacher_id`.
МЭШ dates come as ISO in the family APIs and as dd.MM.yyyy in core: both are read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from etl.adapters.base import (
    AdapterError,
    Extract,
    ImportOptions,
    iso_datetime,
    located,
    ru_date,
    scale_refusal,
    sid,
    written_ts,
)
from etl.adapters.recording import Response, read_recording, recorded_at

SYSTEM = "mesh"
ENTERED_AT_SOURCE = "mesh:created_at"
RESOURCES = ("schools", "academic_years", "periods_schedules", "class_units", "teacher_profiles",
             "student_profiles", "subjects", "control_forms", "groups", "course_lesson_topics",
             "schedule_events", "marks", "attendances", "homeworks", "final_marks", "absence_reasons")
# МЭШ keeps the absence reason as an opaque id (§3.5: its dictionary is not public); the reason's name says
# which journal code it is (§7.1). A name none of these stems matches is not guessed (docs/adapters.md).
ABSENCE_CODES: tuple[tuple[str, str], ...] = (
    ("болез", "Б"), ("неуважит", "Н"), ("не уважит", "Н"), ("без уважит", "Н"), ("уважит", "П"),
    ("опозд", "О"), ("освобожд", "ОСВ"),
)
PERIOD_KINDS: tuple[tuple[str, str], ...] = (
    ("четверт", "quarter"), ("триместр", "trimester"), ("семестр", "semester"), ("полугод", "half_year"),
    ("модул", "module"), ("год", "year"),
)
FIVE_POINT = "five"  # grade_system_type of the five-point scale (§3.2)
HOLIDAY_KINDS: tuple[tuple[str, str], ...] = (("каникул", "vacation"), ("карантин", "quarantine"))


class MeshAdapter:
    system = SYSTEM
    title = "МЭШ: записанные ответы API (responses.jsonl)"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        responses, data = read_recording(source, SYSTEM)
        extract = map_responses(SYSTEM, responses, options, raw={f"{SYSTEM}/responses.jsonl": data})
        extract.recorded_at = recorded_at(responses)
        return extract


def map_responses(system: str, responses: list[Response], options: ImportOptions, raw: dict[str, bytes]) -> Extract:
    """Map a МЭШ recording (any order, a resource may be split over several responses) to a snapshot."""
    by: dict[str, list[tuple[Response, Any]]] = defaultdict(list)
    for r in responses:
        parts = r.path.split("/")
        kind = parts[-2] if len(parts) > 1 and parts[-2] == "schools" else parts[-1]
        if kind not in RESOURCES:
            continue
        body = r.body.get("payload", r.body) if isinstance(r.body, dict) and kind != "schools" else r.body
        if kind != "schools" and not isinstance(body, list):
            raise AdapterError(f"{_where(r)}: ожидался список, получено {type(body).__name__}")
        for item in ([body] if kind == "schools" else body):
            if not isinstance(item, dict):
                raise AdapterError(f"{_where(r)}: элемент ответа не объект")
            by[kind].append((r, item))
    if not by["schools"]:
        raise AdapterError("в записи нет ответа schools/{школа}: без школы данные не к чему привязать")
    return _Mapper(by, options, raw).run()


class _Mapper:
    def __init__(self, by: dict[str, list[tuple[Response, Any]]], options: ImportOptions, raw: dict[str, bytes]) -> None:
        self.by = by
        self.opt = options
        self.ex = Extract(SYSTEM, "snapshot", raw=raw)
        self.deleted: dict[str, int] = defaultdict(int)  # what -> rows the recording carries as deleted

    def run(self) -> Extract:
        r, school = self.by["schools"][0]
        self.school = sid(SYSTEM, "school", _id(school, "id", r))
        self.ex.add("schools", {"id": self.school, "name": school.get("short_name") or school.get("name"),
                                "full_name": school.get("full_name"), "region": school.get("municipality"),
                                "timezone": self.opt.zone, "school_week_days": school.get("week_days")})
        for r, y in located(self.ex, self.by["academic_years"], _where):
            self.ex.add("academic_years", {"id": self._ref("year", y.get("id"), r), "school_id": self.school,
                                           "name": y.get("name"), "start_date": _day(y.get("begin_date"), r),
                                           "end_date": _day(y.get("end_date"), r)})
        self._people()
        self._classes_and_calendar()
        self._groups()
        self._lessons()
        self._refuse_other_scales()
        self._marks()
        self._attendance()
        self._homework()
        self._finals()
        if self.deleted:
            counts = ", ".join(f"{what} — {n}" for what, n in self.deleted.items())
            self.ex.notes.append(f"Удалённые в МЭШ записи (deleted_by, deleted_at) не загружены: {counts}; "
                                 "загруженные раньше помечены удалёнными.")
        return self.ex

    def _ref(self, kind: str, value: Any, r: Response) -> str:
        if value in (None, ""):
            raise AdapterError(f"{_where(r)}: нет идентификатора ({kind})")
        return sid(SYSTEM, kind, value)

    def _opt(self, kind: str, value: Any) -> str | None:
        return None if value in (None, "") else sid(SYSTEM, kind, value)

    # ------------------------------------------------------------ dictionaries

    def _people(self) -> None:
        for kind, role in (("teacher_profiles", "teacher"), ("student_profiles", "student")):
            for r, p in located(self.ex, self.by[kind], _where):
                self.ex.add_once("people", {
                    "id": self._ref("person", p.get("id"), r), "school_id": self.school, "role": p.get("role") or role,
                    "last_name": p.get("last_name"), "first_name": p.get("first_name"),
                    "middle_name": p.get("middle_name") or None, "sex": _sex(p.get("sex")),
                    "birth_date": _day(p.get("birth_date"), r), "position": p.get("position") or None})
        for r, s in located(self.ex, self.by["subjects"], _where):
            self.ex.add_once("subjects", {"id": self._ref("subject", s.get("id"), r), "school_id": self.school,
                                          "name": s.get("name"), "short_name": s.get("short_name") or None})
        for r, c in located(self.ex, self.by["control_forms"], _where):
            self.ex.add_once("work_types", {"id": self._ref("control-form", c.get("id"), r), "school_id": self.school,
                                            "name": c.get("name"), "abbr": c.get("short_name") or None,
                                            "weight": c.get("weight"), "is_control": c.get("is_control")})

    def _classes_and_calendar(self) -> None:
        """Class units; a periods schedule's learning periods become periods and its vacations holidays,
        each spanning the grades of the class units bound to it (one class only: that class)."""
        self.classes: dict[str, dict[str, Any]] = {}
        users: dict[str, list[dict[str, Any]]] = defaultdict(list)  # periods schedule -> class rows
        for r, c in located(self.ex, self.by["class_units"], _where):
            row = {"id": self._ref("class", c.get("id"), r), "school_id": self.school,
                   "academic_year_id": self._ref("year", c.get("academic_year_id"), r), "name": c.get("name"),
                   "kind": "class", "grade": c.get("class_level_id"),
                   "homeroom_teacher_id": self._opt("person", c.get("home_based_teacher_id"))}
            self.classes[str(c.get("id"))] = row
            self.ex.add("groups", row)
            if c.get("periods_schedule_id") not in (None, ""):
                users[str(c["periods_schedule_id"])].append(row)
        by_grade: dict[int, int] = defaultdict(int)
        for row in self.classes.values():
            by_grade[row["grade"]] += 1
        periods: dict[str, dict[str, Any]] = {}
        holidays: dict[tuple, dict[str, Any]] = {}
        for r, sched in located(self.ex, self.by["periods_schedules"], _where):
            classes = users.get(str(sched.get("id")), [])
            for p in sched.get("periods") or []:
                start, end = _day(p.get("begin_date"), r), _day(p.get("end_date"), r)
                if p.get("is_vacation"):
                    key = (p.get("name"), start, end)
                    holidays.setdefault(key, {"p": p, "r": r, "year": sched.get("academic_year_id"), "classes": []})
                    holidays[key]["classes"] += classes
                    continue
                pid = self._ref("period", p.get("id"), r)
                row = periods.setdefault(pid, {
                    "id": pid, "school_id": self.school, "academic_year_id": self._ref("year", sched.get("academic_year_id"), r),
                    "name": p.get("name"), "kind": _kind(p.get("name"), PERIOD_KINDS, "custom"),
                    "start_date": start, "end_date": end, "_classes": []})
                row["_classes"] += classes
        numbers: dict[tuple, int] = defaultdict(int)
        for row in sorted(periods.values(), key=lambda p: (p["start_date"], p["id"])):
            grades = [c["grade"] for c in row.pop("_classes")]
            numbers[(row["kind"], min(grades, default=0))] += 1
            self.ex.add("periods", row | {"number": numbers[(row["kind"], min(grades, default=0))],
                                          "grade_from": min(grades, default=None), "grade_to": max(grades, default=None)})
        for (name, start, end), h in holidays.items():
            grades = sorted({c["grade"] for c in h["classes"]})
            one_class = len(h["classes"]) == 1 and by_grade[grades[0]] > 1
            self.ex.add("holidays", {
                "id": self._ref("vacation", h["p"].get("id"), h["r"]),
                "school_id": self.school, "academic_year_id": self._ref("year", h["year"], h["r"]), "name": name,
                "kind": _kind(name, HOLIDAY_KINDS, "holiday"), "start_date": start, "end_date": end,
                "grade_from": grades[0] if grades else None, "grade_to": grades[-1] if grades else None,
                "group_id": h["classes"][0]["id"] if one_class else None})
        for r, p in located(self.ex, self.by["student_profiles"], _where):
            for m in p.get("class_units") or []:
                cls = self.classes.get(str(m.get("class_unit_id")))
                if cls is None:
                    raise AdapterError(f"{_where(r)}: ученик {p.get('id')} в неизвестном классе {m.get('class_unit_id')}")
                self.ex.add("memberships", {"id": sid(SYSTEM, "member", cls["id"].rsplit(":", 1)[1], p.get("id")),
                                            "group_id": cls["id"], "student_id": self._ref("person", p.get("id"), r),
                                            "valid_from": _day(m.get("begin_date"), r), "valid_to": _day(m.get("end_date"), r)})

    def _groups(self) -> None:
        """МЭШ groups: a subject taught to a class or a subgroup; each is also a curriculum line."""
        self.groups: dict[str, str] = {}  # МЭШ group id -> canonical group id
        for r, g in located(self.ex, self.by["groups"], _where):
            classes = [str(c) for c in g.get("class_unit_ids") or []]
            if not classes or classes[0] not in self.classes:
                raise AdapterError(f"{_where(r)}: у группы {g.get('id')} нет известного класса (class_unit_ids)")
            cls = self.classes[classes[0]]
            subject = self._ref("subject", g.get("subject_id"), r)
            if g.get("is_subgroup"):
                target = self._ref("group", g.get("id"), r)
                self.ex.add_once("groups", {"id": target, "school_id": self.school,
                                            "academic_year_id": cls["academic_year_id"], "name": g.get("name"),
                                            "kind": "subgroup", "grade": cls["grade"], "parent_group_id": cls["id"],
                                            "subject_id": subject})
                for s in g.get("students") or []:
                    self.ex.add("memberships", {
                        "id": sid(SYSTEM, "member", g.get("id"), s.get("student_profile_id")), "group_id": target,
                        "student_id": self._ref("person", s.get("student_profile_id"), r),
                        "valid_from": _day(s.get("begin_date"), r), "valid_to": _day(s.get("end_date"), r)})
            else:
                target = cls["id"]
            self.groups[str(g.get("id"))] = target
            if g.get("teacher_id") not in (None, "") and g.get("hours_per_week") not in (None, ""):
                self.ex.add("curriculum", {"id": self._ref("curriculum", g.get("id"), r), "group_id": target,
                                           "subject_id": subject, "teacher_id": self._ref("person", g["teacher_id"], r),
                                           "weekly_hours": g["hours_per_week"]})
        for r, t in located(self.ex, self.by["course_lesson_topics"], _where):
            self.ex.add("plan_lessons", {"id": self._ref("topic", t.get("id"), r), "group_id": self._group(t.get("group_id"), r),
                                         "subject_id": self._ref("subject", t.get("subject_id"), r),
                                         "number": t.get("position"), "planned_date": _day(t.get("planned_date"), r),
                                         "topic": t.get("title"), "hours": t.get("hours")})

    def _group(self, mesh_group: Any, r: Response) -> str:
        try:
            return self.groups[str(mesh_group)]
        except KeyError:
            raise AdapterError(f"{_where(r)}: группа {mesh_group} не описана в ответе groups") from None

    # ------------------------------------------------------------ journal

    def _lessons(self) -> None:
        for r, e in located(self.ex, self.by["schedule_events"], _where):
            if str(e.get("source") or "PLAN") != "PLAN":
                continue  # внеурочка, доп. образование, олимпиады: not the class journal
            start = iso_datetime(e.get("start_at"), _where(r), self.opt.zone)
            if start is None:
                raise AdapterError(f"{_where(r)}: у урока {e.get('id')} нет start_at")
            planned = self._opt("person", e.get("teacher_id"))
            replaced = bool(e.get("replaced"))
            self.ex.add("lessons", {
                "id": self._ref("lesson", e.get("id"), r), "group_id": self._group(e.get("group_id"), r),
                "subject_id": self._ref("subject", e.get("subject_id"), r), "lesson_date": start.date(),
                "lesson_number": e.get("lesson_number"), "planned_teacher_id": planned,
                "actual_teacher_id": self._opt("person", e.get("replaced_teacher_id")) if replaced else planned,
                "is_substitution": replaced, "status": "cancelled" if e.get("cancelled") else "held",
                "topic": e.get("lesson_theme") or e.get("lesson_name") or None,
                "plan_lesson_id": self._opt("topic", e.get("course_lesson_topic_id"))})

    def _stamp(self, text: Any, r: Response) -> str | None:
        """A source time as bundle text in the school's zone, at the precision it was written."""
        return written_ts(iso_or_ru(text, r, self.opt.zone), text)

    def _refuse_other_scales(self) -> None:
        """МЭШ marks carry their grade system (`grade_system_type` in core, `original_grade_system_type` in
        the mobile shape, `values[].grade_system_type` in the family one: five, ten, hundred, §3.2, §7.2).
        Завуч keeps the five-point scale (regulation 2.11): a ten-point «4» or a hundred-point «5» loaded as a
        five-point mark, a poor result read as a good one. A recording with such marks is refused."""
        other: list[tuple[str, str]] = []  # (scale, place)
        for kind, what in (("marks", "отметка"), ("final_marks", "итоговая отметка")):
            for r, m in self.by[kind]:
                values = m.get("values") if isinstance(m.get("values"), list) else []
                scales = {str(x) for x in (m.get("grade_system_type"), m.get("original_grade_system_type"),
                                           *(v.get("grade_system_type") for v in values if isinstance(v, dict)))
                          if x not in (None, "")}
                other += [(sc, f"{_where(r)}: {what} {m.get('id')}") for sc in sorted(scales - {FIVE_POINT})]
        if other:
            raise scale_refusal(other, FIVE_POINT)

    def _marks(self) -> None:
        for r, m in located(self.ex, self.by["marks"], _where):
            if m.get("deleted_by") not in (None, "") or m.get("deleted_at") not in (None, ""):
                self.deleted["отметок"] += 1  # deleted in МЭШ: the snapshot lacks it, so the loader marks it so
                continue
            created = iso_or_ru(m.get("created_at"), r, self.opt.zone)
            updated = iso_or_ru(m.get("updated_at"), r, self.opt.zone)
            form = m.get("control_form_id")
            if form in (None, "") and m.get("control_form_name"):  # mobile API: the form by name only
                form = m["control_form_name"]
                self.ex.add_once("work_types", {"id": sid(SYSTEM, "control-form", form), "school_id": self.school,
                                                "name": form})
            lesson = m.get("schedule_lesson_id") or (m.get("activity") or {}).get("schedule_item_id")
            value = m.get("name") if m.get("name") not in (None, "") else m.get("value")
            # a renamed field: no value made a placeholder, no created_at an untimed mark ("possibly late")
            missing = [f for f, v in (("name/value", value), ("created_at", created)) if v in (None, "")]
            if missing:
                raise AdapterError(f"{_where(r)}: у отметки {m.get('id')} нет {' и '.join(missing)}; "
                                   "запись другой версии API?")
            self.ex.add("marks", {
                "id": self._ref("mark", m.get("id"), r),
                "student_id": self._ref("person", m.get("student_profile_id"), r),
                "lesson_id": self._ref("lesson", lesson, r),
                "work_type_id": self._opt("control-form", form),
                "value": value, "weight": m.get("weight"), "counts_in_average": not m.get("is_point"),
                "comment": m.get("comment") or None, "entered_by": self._opt("person", m.get("teacher_id")),
                "entered_at": written_ts(created, m.get("created_at")), "entered_at_source": ENTERED_AT_SOURCE,
                # an unchanged mark has updated_at = created_at: not a change
                "updated_at": written_ts(updated, m.get("updated_at")) if updated and updated != created else None})

    def _attendance(self) -> None:
        """An absence's reason, by name (`absence_reason`, or `absence_reason_id` looked up in the recording's
        `absence_reasons`), becomes its journal code through ABSENCE_CODES; an absence with no reason at all
        is «Н», as МЭШ shows it. A reason the table does not know keeps its raw value as the code, so the
        loader rejects the row with its place: read as «Н» it counted a pupil ill with a doctor's note as a
        truant."""
        names = {str(d.get("id")): d.get("name") for _, d in self.by["absence_reasons"]}
        unknown: dict[str, int] = defaultdict(int)
        for r, a in located(self.ex, self.by["attendances"], _where):
            reason, rid = a.get("absence_reason"), a.get("absence_reason_id")
            if isinstance(reason, dict):
                reason, rid = reason.get("name"), reason.get("id", rid)
            if reason in (None, "") and rid not in (None, ""):
                reason = names.get(str(rid))
            code = _kind(reason, ABSENCE_CODES, "") if reason not in (None, "") else "Н" if rid in (None, "") else ""
            if not code:
                code = str(reason) if reason not in (None, "") else f"причина {rid}"
                unknown[code] += 1
            self.ex.add("attendance", {
                "id": self._ref("attendance", a.get("id"), r),
                "student_id": self._ref("person", a.get("student_profile_id"), r),
                "lesson_id": self._ref("lesson", a.get("schedule_lesson_id"), r),
                "code": code, "comment": a.get("comment") or None,
                "recorded_by": self._opt("person", a.get("teacher_id")),
                "recorded_at": self._stamp(a.get("created_at"), r)})
        if unknown:
            listed = "; ".join(f"«{k}» — {n}" for k, n in sorted(unknown.items()))
            self.ex.notes.append(
                f"Отсутствий с причиной, которой нет в таблице причин МЭШ (docs/adapters.md): {sum(unknown.values())}. "
                f"Они не засчитаны неуважительными, а отклонены с местом в записи: {listed}. Причина без названия — "
                "её нет в ответе absence_reasons.")

    def _homework(self) -> None:
        for r, h in located(self.ex, self.by["homeworks"], _where):
            hw = h.get("homework") or {}
            if h.get("deleted_at") not in (None, "") or hw.get("deleted_at") not in (None, ""):
                self.deleted["домашних заданий"] += 1
                continue
            self.ex.add("homework", {
                "id": self._ref("homework", h.get("id"), r),
                "lesson_id": self._ref("lesson", h.get("schedule_lesson_id"), r),
                "text": h.get("description"), "due_date": _day(hw.get("date_prepared_for"), r),
                "duration_minutes": h.get("duration"), "entered_by": self._opt("person", hw.get("teacher_id")),
                "entered_at": self._stamp(h.get("created_at"), r)})

    def _finals(self) -> None:
        for r, f in located(self.ex, self.by["final_marks"], _where):
            period = self._opt("period", f.get("period_id"))
            self.ex.add("final_marks", {
                "id": self._ref("final", f.get("id"), r),
                "student_id": self._ref("person", f.get("student_profile_id"), r),
                "subject_id": self._ref("subject", f.get("subject_id"), r), "group_id": self._group(f.get("group_id"), r),
                "period_id": period, "kind": "period" if period else "year", "value": f.get("value"),
                "entered_by": self._opt("person", f.get("teacher_id")),
                "entered_at": self._stamp(f.get("created_at"), r)})


_RU_STAMP = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def iso_or_ru(text: Any, r: Response, zone: str | None) -> datetime | None:
    """ISO (family APIs) or dd.MM.yyyy[ HH:mm[:ss]] (core API) -> naive school-local datetime; an ISO
    value with an offset is moved into the school's `zone` (base.iso_datetime)."""
    if text in (None, ""):
        return None
    m = _RU_STAMP.match(str(text))
    if m:
        d = ru_date(m.group(1), _where(r))
        return datetime(d.year, d.month, d.day, int(m.group(2) or 0), int(m.group(3) or 0), int(m.group(4) or 0))
    return iso_datetime(str(text), _where(r), zone)


def _day(text: Any, r: Response) -> date | None:
    t = iso_or_ru(text, r, None)
    return t.date() if t else None


def _id(obj: dict[str, Any], key: str, r: Response) -> str:
    if obj.get(key) in (None, ""):
        raise AdapterError(f"{_where(r)}: нет идентификатора {key}")
    return str(obj[key])


def _kind(name: Any, table: tuple[tuple[str, str], ...], default: str) -> str:
    low = str(name or "").lower()
    return next((v for stem, v in table if stem in low), default)


def _sex(v: Any) -> str | None:
    s = str(v or "").lower()
    return "m" if s in ("male", "m", "м") else "f" if s in ("female", "f", "ж") else None


def _where(r: Response) -> str:
    return f"responses.jsonl, строка {r.line} ({r.path})"
