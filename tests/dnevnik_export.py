"""The demo school written out as a Дневник.ру recording (etl/adapters/dnevnik_ru.py shapes), for the round trip.

Every canonical id gets a 64-bit Дневник.ру id, sent exactly in its `*_str` twin and, as a JavaScript
client would see it, rounded in the numeric field, so an adapter reading the number would merge
records. `back` maps the adapter's ids ('dnevnik_ru:mark:…') to the demo's own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from etl.adapters.recording import Response, write_recording
from tests.round_trip import Ids, bundle_rows

BASE = 1_000_000_000_000_000_000  # ids above 2^53, as Дневник.ру's are
YEAR_FROM, YEAR_TO = "2025-09-01T00:00:00", "2026-05-31T00:00:00"  # one request window per group
STATUS = {"Н": "Absent", "Б": "Ill", "П": "Pass", "О": "Late"}  # journal code -> LessonLogEntry.status
PERIOD_TYPE = {"quarter": "Quarter", "trimester": "Trimester", "semester": "Semester", "half_year": "HalfYear",
               "module": "Module", "year": "Year"}


def _num(id_str: int | str) -> float:
    """The numeric twin as JSON readers without 64-bit integers get it."""
    return float(id_str)


def _t(stamp: str | None) -> str | None:
    """Bundle 'yyyy-mm-dd hh:mm:ss' -> the API's ISO local time."""
    return None if stamp is None else datetime.fromisoformat(stamp).isoformat()


def _day(d: str | None) -> str | None:
    return None if d is None else datetime.combine(date.fromisoformat(d), time(0)).isoformat()


def export_dnevnik(bundle: Path, out: Path) -> Ids:
    """Write `out/responses.jsonl` for the demo bundle; returns the id map."""
    ids = Ids("dnevnik_ru", base=BASE)
    rows = {t: bundle_rows(bundle, t) for t in (
        "schools", "academic_years", "groups", "memberships", "people", "subjects", "work_types", "curriculum",
        "periods", "lessons", "marks", "attendance", "homework", "final_marks")}

    def ref(kind: str, canonical: str | None, adapter_kind: str | None = None) -> dict[str, Any]:
        n = ids(kind, canonical, adapter_kind)
        return {"id": _num(n), "id_str": str(n)}

    def sid(kind: str, canonical: str | None, adapter_kind: str | None = None) -> str | None:
        n = ids(kind, canonical, adapter_kind)
        return None if n is None else str(n)

    school = rows["schools"][0]
    s = sid("school", school["id"], "")
    study_year = date.fromisoformat(rows["academic_years"][0]["start_date"]).year
    ids.back[f"dnevnik_ru:year:{s}:{study_year}"] = rows["academic_years"][0]["id"]
    resp = [Response(f"schools/{s}", ref("school", school["id"], "") | {
        "name": school["name"], "fullName": school["full_name"], "municipality": school["region"]})]

    classes = [g for g in rows["groups"] if g["kind"] == "class"]
    for g in rows["groups"]:
        ids("group", g["id"], "")
    resp.append(Response(f"schools/{s}/edu-groups", [
        ref("group", g["id"], "") | {"name": g["name"], "studyyear": study_year} | (
            {"type": "Group", "parallel": int(g["grade"]), "parentIds": []} if g["kind"] == "class" else
            {"type": "Subgroup", "parallel": None, "parentIds": [_num(sid("group", g["parent_group_id"], ""))],
             "parentIds_str": [sid("group", g["parent_group_id"], "")], "subjects": [ref("subject", g["subject_id"])]})
        for g in rows["groups"]]))

    people = {p["id"]: p for p in rows["people"]}
    members = defaultdict(list)
    for m in rows["memberships"]:
        members[m["group_id"]].append(m)
        ids.back[f"dnevnik_ru:member:{sid('group', m['group_id'], '')}:{sid('person', m['student_id'])}"] = m["id"]
    for g in rows["groups"]:
        g_id = sid("group", g["id"], "")
        resp.append(Response(f"edu-groups/{g_id}/students", {"group": _num(g_id), "students": [
            {"person": ref("person", p["id"]) | {"lastName": p["last_name"], "firstName": p["first_name"],
                                                 "middleName": p["middle_name"],
                                                 "sex": {"m": "Male", "f": "Female"}.get(p["sex"])},
             # the API gives no leaving date: a student who left is only "in the archive"
             "membershipstatus": "Archive" if m["valid_to"] else "Active"}
            for m in members[g["id"]] for p in [people[m["student_id"]]]]}))
    resp.append(Response(f"schools/{s}/teachers", [
        {"Id": _num(n), "IdStr": n, "LastName": p["last_name"], "FirstName": p["first_name"],
         "MiddleName": p["middle_name"], "Sex": {"m": "Male", "f": "Female"}.get(p["sex"]),
         "NameTeacherPosition": p["position"]}
        for p in rows["people"] if p["role"] != "student" for n in [sid("person", p["id"])]]))

    subjects = {x["id"]: x for x in rows["subjects"]}
    class_of = {g["id"]: g["parent_group_id"] or g["id"] for g in rows["groups"]}
    taught = defaultdict(set)
    for c in rows["curriculum"]:
        taught[class_of[c["group_id"]]].add(c["subject_id"])
    for c in classes:
        resp.append(Response(f"edu-groups/{sid('group', c['id'], '')}/subjects", [
            {"id": _num(n), "idStr": n, "name": subjects[x]["name"]}
            for x in sorted(taught[c["id"]]) for n in [sid("subject", x)]]))

    # work types carry small ids (Mark.workType is a plain number), weight and the control flag
    wt = {w["id"]: i for i, w in enumerate(rows["work_types"], start=1)}
    ids.back.update({f"dnevnik_ru:work-type:{n}": w for w, n in wt.items()})
    resp.append(Response(f"work-types/{s}", [
        {"id": wt[w["id"]], "title": w["name"], "abbr": w["abbr"], "weight": int(w["weight"]),
         "isImportant": w["is_control"] == "true"} for w in rows["work_types"]]))

    for c in classes:
        own = [p for p in rows["periods"] if p["grade_from"] and int(p["grade_from"]) <= int(c["grade"]) <= int(p["grade_to"])]
        resp.append(Response(f"edu-groups/{sid('group', c['id'], '')}/reporting-periods", [
            ref("period", p["id"], "") | {"name": p["name"], "number": int(p["number"]), "type": PERIOD_TYPE[p["kind"]],
                                          "start": _day(p["start_date"]), "finish": _day(p["end_date"]), "year": study_year}
            for p in own]))

    lessons = {x["id"]: x for x in rows["lessons"]}
    by_group: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for ls in rows["lessons"]:
        teacher = sid("person", ls["actual_teacher_id"] or ls["planned_teacher_id"])
        by_group[ls["group_id"]]["lessons"].append(ref("lesson", ls["id"]) | {
            "title": ls["topic"] or "", "date": _day(ls["lesson_date"]), "number": int(ls["lesson_number"]),
            "subject": ref("subject", ls["subject_id"]) | {"name": subjects[ls["subject_id"]]["name"]},
            "group": _num(sid("group", ls["group_id"], "")), "teachers": [_num(teacher)], "teachers_str": [teacher],
            "status": "Cancelled" if ls["status"] == "cancelled" else "Conducted"})

    # a mark belongs to a Work: one per lesson, work type and the teacher who set it
    works: dict[tuple, dict[str, Any]] = {}
    for m in rows["marks"]:
        key = (m["lesson_id"], m["work_type_id"], m["entered_by"])
        if key not in works:
            w = sid("work", "|".join(key), "lesson-work")
            is_control = next(x["is_control"] for x in rows["work_types"] if x["id"] == m["work_type_id"]) == "true"
            works[key] = {"id": _num(w), "id_str": w, "type": "LessonTestWork" if is_control else "DefaultNewLessonWork",
                          "workType": wt[m["work_type_id"]], "lesson": _num(sid("lesson", m["lesson_id"])),
                          "lesson_str": sid("lesson", m["lesson_id"]), "createdBy": sid("person", m["entered_by"])}
        ls = lessons[m["lesson_id"]]
        by_group[ls["group_id"]]["marks"].append(ref("mark", m["id"]) | {
            "type": "mark5", "value": m["value"], "person": _num(sid("person", m["student_id"])),
            "person_str": sid("person", m["student_id"]), "work": works[key]["id"], "work_str": works[key]["id_str"],
            "lesson": _num(sid("lesson", ls["id"])), "lesson_str": sid("lesson", ls["id"]), "date": _t(m["entered_at"]),
            "workType": wt[m["work_type_id"]], "use_avg_calc": m["counts_in_average"] == "true"})
    homework = [ref("homework", h["id"], "work") | {
        "type": "Homework", "lesson": _num(sid("lesson", h["lesson_id"])), "lesson_str": sid("lesson", h["lesson_id"]),
        "text": h["text"], "targetDate": _day(h["due_date"]), "sentDate": _t(h["entered_at"]),
        "createdBy": sid("person", h["entered_by"])} for h in rows["homework"]]

    # the roll: an Attend entry written when the roll was taken (one present member per lesson: the adapter
    # needs only the earliest entry, and a line per present pupil would make the recording ~280 MB)
    absent = {(a["lesson_id"], a["student_id"]): a for a in rows["attendance"]}
    for a in rows["attendance"]:
        ids.back[f"dnevnik_ru:log:{sid('lesson', a['lesson_id'])}:{sid('person', a['student_id'])}"] = a["id"]
    for ls in rows["lessons"]:
        day = ls["lesson_date"]
        present = [m["student_id"] for m in members[ls["group_id"]]
                   if m["valid_from"] <= day and (m["valid_to"] is None or day <= m["valid_to"])
                   and (ls["id"], m["student_id"]) not in absent] if ls["attendance_taken_at"] else []
        by_group[ls["group_id"]]["log"] += [
            {"person": _num(sid("person", p)), "person_str": sid("person", p), "lesson": _num(sid("lesson", ls["id"])),
             "lesson_str": sid("lesson", ls["id"]), "status": "Attend", "createdDate": _t(ls["attendance_taken_at"])}
            for p in present[:1]]
    for a in rows["attendance"]:
        by_group[lessons[a["lesson_id"]]["group_id"]]["log"].append({
            "person": _num(sid("person", a["student_id"])), "person_str": sid("person", a["student_id"]),
            "lesson": _num(sid("lesson", a["lesson_id"])), "lesson_str": sid("lesson", a["lesson_id"]),
            "status": STATUS[a["code"]], "comment": a["comment"], "createdDate": _t(a["recorded_at"])})

    finals: dict[tuple, list] = defaultdict(list)
    for f in rows["final_marks"]:
        finals[(f["group_id"], f["student_id"], f["period_id"])].append(
            {"subject": _num(sid("subject", f["subject_id"])), "subject_str": sid("subject", f["subject_id"]),
             "final-mark": ref("final", f["id"], "mark") | {"value": f["value"], "date": _t(f["entered_at"])}})

    for g in rows["groups"]:
        g_id = sid("group", g["id"], "")
        window = f"{YEAR_FROM}/{YEAR_TO}"
        resp.append(Response(f"edu-groups/{g_id}/lessons/{window}", by_group[g["id"]]["lessons"]))
        resp.append(Response(f"edu-groups/{g_id}/marks/{window}", by_group[g["id"]]["marks"]))
        resp.append(Response(f"lesson-log-entries/group/{g_id}", by_group[g["id"]]["log"],
                             query={"from": YEAR_FROM[:10], "to": YEAR_TO[:10]}))
        resp.append(Response(f"edu-groups/{g_id}/final-marks", [
            {"person": _num(sid("person", st)), "person_str": sid("person", st), "group_str": g_id,
             "reportingPeriod_str": sid("period", per, ""), "per-subject-final-marks": items}
            for (grp, st, per), items in finals.items() if grp == g["id"]]))
    resp.append(Response("works/many", list(works.values()) + homework, method="POST"))
    write_recording(resp, out / "responses.jsonl")
    return ids
