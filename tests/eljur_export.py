"""The demo school written out as an ЭлЖур API v3 recording (data-formats §4), what `zavuch pull eljur`
records: getrules, getperiods (each pupil's periods), then every pupil's getdiary and getmarks.

ЭлЖур shows a pupil's lessons (subject, number, teacher by name, subgroup `grp`, topic, homework text)
and marks (value, weight, `count`, work type, comment, the lesson's date) with absences among them as
«н» / «оп». It has no ids for teachers and marks, no entry times, no due dates, no reasons for an
absence, no planned teacher, no curriculum or КТП, no holidays; none of that is written.
`back` maps the adapter's ids to the demo's own.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from etl.adapters.eljur import _slug
from etl.adapters.recording import Response, write_recording
from tests.round_trip import Ids, bundle_rows as _rows

ABSENCE = {"Н": "н", "Б": "н", "П": "н", "О": "оп"}  # ЭлЖур writes every absence «н», lateness «оп» (§4.2)


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    return {"response": {"state": 200, "error": None, "result": result}}


def _ymd(day: str) -> str:
    return day.replace("-", "")


def _fio(p: dict[str, str]) -> str:
    return " ".join(filter(None, (p["last_name"], p["first_name"], p["middle_name"])))


def export_eljur(bundle: Path, out: Path) -> Ids:
    """Write `out/responses.jsonl` for the bundle; returns the id map."""
    ids = Ids("eljur")
    school = _rows(bundle, "schools")[0]
    year = _rows(bundle, "academic_years")[0]
    groups = {g["id"]: g for g in _rows(bundle, "groups")}
    classes = {g["id"]: g for g in groups.values() if g["kind"] == "class"}
    people = {p["id"]: p for p in _rows(bundle, "people")}
    subjects = {s["id"]: s["name"] for s in _rows(bundle, "subjects")}
    types = {w["id"]: w for w in _rows(bundle, "work_types")}
    back = ids.back
    number = ids("school", school["id"])
    for p in people.values():
        if p["role"] != "student":
            back[f"eljur:teacher:{_slug(_fio(p))}"] = p["id"]
    for s, name in subjects.items():
        back[f"eljur:subject:{_slug(name)}"] = s
    for c in classes.values():
        back[f"eljur:class:{c['name']}"] = c["id"]
    for g in groups.values():
        if g["kind"] == "subgroup":
            back[f"eljur:group:{classes[g['parent_group_id']]['name']}:{_slug(g['name'])}"] = g["id"]

    class_of: dict[str, str] = {}
    lessons_of = defaultdict(list)  # pupil -> his lessons
    by_group = defaultdict(list)
    lessons = sorted((ls for ls in _rows(bundle, "lessons") if ls["status"] == "held"),
                     key=lambda ls: (ls["lesson_date"], int(ls["lesson_number"])))
    for ls in lessons:
        by_group[ls["group_id"]].append(ls)
    for m in _rows(bundle, "memberships"):
        g = groups[m["group_id"]]
        if g["kind"] == "class":
            class_of[m["student_id"]] = g["id"]
        lessons_of[m["student_id"]] += [ls for ls in by_group[m["group_id"]]
                                        if m["valid_from"] <= ls["lesson_date"] <= (m["valid_to"] or "9999")]
    homework = defaultdict(list)
    for h in _rows(bundle, "homework"):
        homework[h["lesson_id"]].append(h)
    entries = defaultdict(list)  # (pupil, lesson) -> marks and absences
    for a in _rows(bundle, "attendance"):
        entries[(a["student_id"], a["lesson_id"])].append({"value": ABSENCE[a["code"]], "countas": "0", "count": False,
                                                            "convert": 0, "comment": a["comment"] or ""})
    for m in sorted(_rows(bundle, "marks"), key=lambda m: m["id"]):
        wt = types[m["work_type_id"]]
        entries[(m["student_id"], m["lesson_id"])].append({
            "value": m["value"], "countas": m["value"].rstrip("+-"), "count": m["counts_in_average"] == "true",
            "convert": 0, "weight": int(float(m["weight"])), "weight_float": m["weight"], "comment": m["comment"] or "",
            "mtype": {"id": ids("work_type", wt["id"], "mtype"), "type": wt["name"], "short": wt["abbr"]}, "_id": m["id"]})

    def lesson_key(ls: dict[str, str]) -> str:
        g = groups[ls["group_id"]]
        cls = classes[g["parent_group_id"] or g["id"]]["name"]
        key = f"{cls}:{_ymd(ls['lesson_date'])}:{ls['lesson_number']}"
        return key + (f":{_slug(g['name'])}" if g["kind"] == "subgroup" else "")

    pupils = sorted(class_of)
    periods = _rows(bundle, "periods")
    grades = {int(classes[class_of[p]]["grade"]) for p in pupils}
    resp = [Response("getrules", _ok({"roles": ["administrator"], "relations": {
        "students": {str(ids("student", p)): {
            "rules": [], "rel": "child", "name": str(ids("student", p)), "title": _fio(people[p]),
            "lastname": people[p]["last_name"], "firstname": people[p]["first_name"],
            "gender": {"m": "male", "f": "female"}.get(people[p]["sex"]), "class": classes[class_of[p]]["name"],
            "parallel": int(classes[class_of[p]]["grade"])} for p in pupils},
        "groups": {c["name"]: {"name": c["name"], "parallel": int(c["grade"]), "balls": 5,
                               "hometeacher_id": str(ids("person", c["homeroom_teacher_id"])),
                               "hometeacher_name": _fio(people[c["homeroom_teacher_id"]])} for c in classes.values()},
        "schools": [{"number": str(number), "title": school["name"], "title_full": school["full_name"]}]}}))]
    student_periods = []
    for p in pupils:
        grade = int(classes[class_of[p]]["grade"])
        own = [q for q in periods if int(q["grade_from"]) <= grade <= int(q["grade_to"])]
        band = sorted(g for g in grades if int(own[0]["grade_from"]) <= g <= int(own[0]["grade_to"]))
        for q in own:
            back[f"eljur:period:{_ymd(q['start_date'])}:{_ymd(q['end_date'])}:{band[0]}-{band[-1]}"] = q["id"]
        student_periods.append({"name": str(ids("student", p)), "title": _fio(people[p]), "periods": [
            {"name": q["name"], "fullname": q["name"], "disabled": False, "ambigious": None,
             "start": _ymd(q["start_date"]), "end": _ymd(q["end_date"])} for q in own]})
    resp.append(Response("getperiods", _ok({"students": student_periods}), query={"weeks": "true"}))

    days = f"{_ymd(year['start_date'])}-{_ymd(year['end_date'])}"
    for p in pupils:
        n = str(ids("student", p))
        diary: dict[str, Any] = defaultdict(lambda: {"items": {}})
        by_subject = defaultdict(list)
        for ls in lessons_of[p]:
            g = groups[ls["group_id"]]
            lid = str(ids("lesson", ls["id"]))
            back[f"eljur:lesson:{lesson_key(ls)}"] = ls["id"]
            teacher = people[ls["actual_teacher_id"] or ls["planned_teacher_id"]]
            day = diary[_ymd(ls["lesson_date"])]
            day["name"] = _ymd(ls["lesson_date"])
            day["items"][ls["lesson_number"]] = {
                "num": ls["lesson_number"], "sort": int(ls["lesson_number"]), "name": subjects[ls["subject_id"]],
                "lesson_id": lid, "teacher": _fio(teacher), "topic": ls["topic"] or "", "is_control": False,
                **({"grp": g["name"], "grp_short": g["name"].rsplit(" ", 2)[-2]} if g["kind"] == "subgroup" else {}),
                "homework": {str(ids("homework", h["id"])): {"id": ids("homework", h["id"]), "value": h["text"],
                                                             "individual": False} for h in homework[ls["id"]]}}
            seen: dict[Any, int] = defaultdict(int)
            for e in entries[(p, ls["id"])]:
                canonical = e.pop("_id", None)
                if canonical:  # the adapter numbers a pupil's marks of one work type on one lesson in order
                    seen[e["mtype"]["id"]] += 1
                    back[f"eljur:mark:{n}:{lesson_key(ls)}:{e['mtype']['id']}:{seen[e['mtype']['id']]}"] = canonical
                by_subject[subjects[ls["subject_id"]]].append(e | {"date": ls["lesson_date"], "lesson_id": lid})
        resp.append(Response("getdiary", _ok({"students": {n: {"name": n, "title": _fio(people[p]), "days": diary}}}),
                             query={"student": n, "days": days, "rings": "1"}))
        resp.append(Response("getmarks", _ok({"students": {n: {"name": n, "title": _fio(people[p]), "lessons": [
            {"name": subject, "marks": marks} for subject, marks in by_subject.items()]}}}),
                             query={"student": n, "days": days}))
    write_recording(resp, out / "responses.jsonl")
    return ids
