"""The demo school written out as «Сетевой город» mobile API recordings (data-formats §2.3), one per class.

A class's recording is what a pull with `studentIds` of every pupil of the class returns: `education`,
`users`, each pupil's `classmeetings` (the lessons of his groups, with the attendance code of §2.4 and
the subject group) and `assignments` (his result with `resultDate`, the homework with `assignmentDate`).
What NetSchool does not show a pupil is not written: roll-call and topic entry times, who entered a
mark, planned vs actual teacher, work-type flags, curriculum, КТП, periods, final marks, holidays.
`back` maps the adapter's ids ('netschool:mark:<assignment>:<pupil>') to the demo's own.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from etl.adapters.recording import Response, write_recording
from tests.round_trip import Ids, bundle_rows as _rows

# the demo's journal codes as NetSchool writes them (data-formats §2.4, §7.1)
CODES = {"Н": "НП", "Б": "Б", "П": "УП", "О": "ОП"}
HOMEWORK_TYPE = (9001, "ДЗ", "Домашнее задание")


def _iso(t: str | None) -> str | None:
    """NetSchool datetimes: ISO without an offset, with a fraction of varying length (§2.6)."""
    return None if t is None else t.replace(" ", "T") + ".0"


def export_netschool(bundle: Path, out: Path) -> Ids:
    """Write `out/<class>/responses.jsonl` for every class of the bundle; returns the id map."""
    ids = Ids("netschool")
    school = _rows(bundle, "schools")[0]
    year = _rows(bundle, "academic_years")[0]
    groups = {g["id"]: g for g in _rows(bundle, "groups")}
    people = {p["id"]: p for p in _rows(bundle, "people")}
    subjects = {s["id"]: s for s in _rows(bundle, "subjects")}
    types = {w["id"]: w for w in _rows(bundle, "work_types")}
    members = defaultdict(list)  # group -> (pupil, from, to)
    for m in _rows(bundle, "memberships"):
        members[m["group_id"]].append((m["student_id"], m["valid_from"], m["valid_to"] or "9999"))
    lessons = [ls for ls in _rows(bundle, "lessons") if ls["status"] == "held"]  # a pupil's diary shows held ones
    by_lesson = defaultdict(lambda: defaultdict(list))  # lesson -> pupil -> records
    absences = {(a["lesson_id"], a["student_id"]): a["code"] for a in _rows(bundle, "attendance")}
    seen: dict[tuple[str, str, str | None], int] = defaultdict(int)
    for m in sorted(_rows(bundle, "marks"), key=lambda m: m["id"]):
        # an assignment is a journal column: the k-th mark of one work type on a lesson
        column = (m["lesson_id"], m["student_id"], m["work_type_id"])
        k = seen[column] = seen[column] + 1
        aid = ids("assignment", f"{m['lesson_id']}|{m['work_type_id']}|{k}")
        pupil = ids("person", m["student_id"])
        ids.back[f"netschool:mark:{aid}:{pupil}"] = m["id"]
        wt = types[m["work_type_id"]]
        by_lesson[m["lesson_id"]][m["student_id"]].append({
            "classmeetingId": ids("lesson", m["lesson_id"]), "assignmentId": aid, "studentId": pupil,
            "assignmentName": wt["name"], "description": "", "result": m["value"], "duty": False,
            "comment": m["comment"], "assignmentTypeId": ids("work_type", wt["id"], "type"),
            "assignmentTypeAbbr": wt["abbr"], "assignmentTypeName": wt["name"], "weight": int(float(m["weight"])),
            "dueDate": None, "resultDate": _iso(m["entered_at"]), "assignmentDate": None})
    homework = defaultdict(list)
    for h in _rows(bundle, "homework"):
        homework[h["lesson_id"]].append(h)

    for cls in (g for g in groups.values() if g["kind"] == "class"):
        pupils = sorted({p for p, _, _ in members[cls["id"]]})
        course = {g["id"]: ids("group", g["id"]) for g in groups.values() if g["parent_group_id"] == cls["id"]}
        resp = [
            Response("api/mobile/education", [{
                "class": {"id": ids("class", cls["id"]), "name": cls["name"]},
                "school": {"id": ids("school", school["id"]), "name": school["name"]},
                "schoolyear": {"startDate": f"{year['start_date']}T00:00:00", "endDate": f"{year['end_date']}T00:00:00"}}]),
            Response("api/mobile/users", [{"id": ids("person", p), "lastName": people[p]["last_name"],
                                           "firstName": people[p]["first_name"], "middleName": people[p]["middle_name"]}
                                          for p in pupils])]
        meetings, assignments = [], []
        for ls in lessons:
            g = groups[ls["group_id"]]
            if ls["group_id"] != cls["id"] and g["parent_group_id"] != cls["id"]:
                continue
            teacher = people[ls["actual_teacher_id"] or ls["planned_teacher_id"]]
            cm = ids("lesson", ls["id"])
            sg = course.get(ls["group_id"]) or ids("course", f"{ls['group_id']}|{ls['subject_id']}", "group")
            hw = [{"classmeetingId": cm, "assignmentId": ids("homework", h["id"], "assignment"), "description": h["text"],
                   "result": None, "assignmentTypeId": HOMEWORK_TYPE[0], "assignmentTypeAbbr": HOMEWORK_TYPE[1],
                   "assignmentTypeName": HOMEWORK_TYPE[2], "weight": 0,
                   "dueDate": h["due_date"] and f"{h['due_date']}T00:00:00",
                   "assignmentDate": _iso(h["entered_at"]), "resultDate": None} for h in homework[ls["id"]]]
            for pupil in (p for p, since, until in members[ls["group_id"]] if since <= ls["lesson_date"] <= until):
                n = ids("person", pupil)
                code = absences.get((ls["id"], pupil))
                meetings.append({
                    "classmeetingId": cm, "studentId": n, "scheduleTimeNumber": int(ls["lesson_number"]),
                    "scheduleTimeRelay": 1, "subjectId": ids("subject", ls["subject_id"]),
                    "subjectName": subjects[ls["subject_id"]]["name"], "subjectGroupId": sg,
                    "day": f"{ls['lesson_date']}T00:00:00",
                    "teachers": [{"id": ids("person", teacher["id"]),
                                  "name": " ".join(filter(None, (teacher["last_name"], teacher["first_name"],
                                                                 teacher["middle_name"])))}],
                    "lessonTheme": ls["topic"] or "", "attendance": CODES[code] if code else None})
                assignments += [a | {"studentId": n} for a in hw] + by_lesson[ls["id"]][pupil]
        resp += [Response("api/mobile/classmeetings", meetings), Response("api/mobile/assignments", assignments)]
        write_recording(resp, out / cls["name"] / "responses.jsonl")
    return ids
