"""The demo school written out as a МЭШ recording (etl/adapters/mesh.py shapes), for the round trip.

Every canonical id gets a МЭШ-style integer id; `back` maps the id the adapter will give
('mesh:mark:17') to the demo's own id, so metric rows of both loads can be compared.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from etl.adapters.recording import Response, write_recording
from tests.round_trip import Ids, bundle_rows as _rows

REASONS = {"Б": "болезнь", "П": "уважительная причина", "О": "опоздание", "Н": "неуважительная причина"}


def _ru(d: str | None) -> str | None:
    """Core API style date: dd.MM.yyyy."""
    return None if d is None else date.fromisoformat(d[:10]).strftime("%d.%m.%Y")


def _iso(t: str | None) -> str | None:
    return None if t is None else t.replace(" ", "T")


def export_mesh(bundle: Path, out: Path) -> Ids:
    """Write `out/responses.jsonl` for the demo bundle; returns the id map."""
    ids = Ids("mesh")
    school = _rows(bundle, "schools")[0]
    year = _rows(bundle, "academic_years")[0]
    groups = _rows(bundle, "groups")
    classes = [g for g in groups if g["kind"] == "class"]
    memberships = _rows(bundle, "memberships")
    curriculum = _rows(bundle, "curriculum")
    kind_of = {g["id"]: g for g in groups}
    resp: list[Response] = []

    def add(path: str, body: Any) -> None:
        resp.append(Response(path, body))

    add(f"schools/{ids('school', school['id'])}", {"id": ids("school", school["id"]), "short_name": school["name"],
                                                   "full_name": school["full_name"], "municipality": school["region"],
                                                   "week_days": int(school["school_week_days"])})
    add("academic_years", [{"id": ids("year", year["id"]), "name": year["name"], "begin_date": _ru(year["start_date"]),
                            "end_date": _ru(year["end_date"]), "current_year": True}])

    # one periods schedule per distinct calendar (periods and vacations that apply to the class)
    periods, holidays = _rows(bundle, "periods"), _rows(bundle, "holidays")
    calendars: dict[tuple, int] = {}
    class_schedule: dict[str, int] = {}
    schedules = []
    for c in classes:
        grade = int(c["grade"])
        own_p = [p for p in periods if p["grade_from"] and int(p["grade_from"]) <= grade <= int(p["grade_to"])]
        own_h = [h for h in holidays if (h["group_id"] == c["id"]) or
                 (h["group_id"] is None and int(h["grade_from"]) <= grade <= int(h["grade_to"]))]
        key = tuple(p["id"] for p in own_p) + tuple(h["id"] for h in own_h)
        if key not in calendars:
            calendars[key] = 900 + len(calendars)
            schedules.append({"id": calendars[key], "name": f"График {len(calendars)}",
                              "academic_year_id": ids("year", year["id"]), "periods": [
                {"id": ids("period", p["id"]), "name": p["name"], "begin_date": p["start_date"],
                 "end_date": p["end_date"], "is_vacation": False} for p in own_p] + [
                {"id": ids("vacation", h["id"]), "name": h["name"], "begin_date": h["start_date"],
                 "end_date": h["end_date"], "is_vacation": True} for h in own_h]})
        class_schedule[c["id"]] = calendars[key]
    add("periods_schedules", schedules)
    add("class_units", [{"id": ids("class", c["id"]), "name": c["name"], "class_level_id": int(c["grade"]),
                         "academic_year_id": ids("year", year["id"]),
                         "home_based_teacher_id": ids("person", c["homeroom_teacher_id"]),
                         "periods_schedule_id": class_schedule[c["id"]] if len(class_schedule) else None}
                        for c in classes])

    people = _rows(bundle, "people")
    profile = lambda p: {"id": ids("person", p["id"]), "last_name": p["last_name"], "first_name": p["first_name"],  # noqa: E731
                         "middle_name": p["middle_name"], "sex": {"m": "male", "f": "female"}.get(p["sex"]),
                         "birth_date": p["birth_date"], "position": p["position"], "role": p["role"]}
    add("teacher_profiles", [profile(p) for p in people if p["role"] != "student"])
    class_members = defaultdict(list)
    sub_members = defaultdict(list)
    for m in memberships:
        span = {"begin_date": _ru(m["valid_from"]), "end_date": _ru(m["valid_to"])}
        if kind_of[m["group_id"]]["kind"] == "class":
            class_members[m["student_id"]].append({"class_unit_id": ids("class", m["group_id"])} | span)
        else:
            sub_members[m["group_id"]].append({"student_profile_id": ids("person", m["student_id"])} | span)
    add("student_profiles", [profile(p) | {"class_units": class_members[p["id"]]} for p in people if p["role"] == "student"])
    add("subjects", [{"id": ids("subject", s["id"]), "name": s["name"], "short_name": s["short_name"]}
                     for s in _rows(bundle, "subjects")])
    add("control_forms", [{"id": ids("control-form", w["id"]), "name": w["name"], "short_name": w["abbr"],
                           "weight": int(w["weight"]), "is_control": w["is_control"] == "true"}
                          for w in _rows(bundle, "work_types")])

    def mesh_group(group_id: str, subject_id: str) -> int:
        g = kind_of[group_id]
        # a subgroup keeps its own id (the adapter names it mesh:group:N); a class's course is a new group
        return ids("group", group_id) if g["kind"] == "subgroup" else ids("course", f"{group_id}|{subject_id}", "group")

    mesh_groups = []
    for c in curriculum:
        g = kind_of[c["group_id"]]
        parent = g["parent_group_id"] or g["id"]
        mesh_groups.append({
            "id": mesh_group(c["group_id"], c["subject_id"]), "name": g["name"], "subject_id": ids("subject", c["subject_id"]),
            "class_unit_ids": [ids("class", parent)], "teacher_id": ids("person", c["teacher_id"]),
            "hours_per_week": float(c["weekly_hours"]), "is_subgroup": g["kind"] == "subgroup",
            "students": sub_members[g["id"]] if g["kind"] == "subgroup" else []})
    add("groups", mesh_groups)
    add("course_lesson_topics", [{"id": ids("topic", t["id"]), "group_id": mesh_group(t["group_id"], t["subject_id"]),
                                  "subject_id": ids("subject", t["subject_id"]), "position": int(t["number"]),
                                  "planned_date": t["planned_date"], "title": t["topic"],
                                  "hours": int(t["hours"]) if t["hours"] else None}
                                 for t in _rows(bundle, "plan_lessons")])

    events = []
    for ls in _rows(bundle, "lessons"):
        n = int(ls["lesson_number"])
        start = datetime.fromisoformat(ls["lesson_date"]) + timedelta(hours=8, minutes=(n - 1) * 55)
        substitution = ls["is_substitution"] == "true"
        events.append({"id": ids("lesson", ls["id"]), "source": "PLAN", "start_at": start.isoformat(),
                       "finish_at": (start + timedelta(minutes=45)).isoformat(), "lesson_number": n,
                       "group_id": mesh_group(ls["group_id"], ls["subject_id"]), "subject_id": ids("subject", ls["subject_id"]),
                       "teacher_id": ids("person", ls["planned_teacher_id"]), "cancelled": ls["status"] == "cancelled",
                       "replaced": substitution,
                       "replaced_teacher_id": ids("person", ls["actual_teacher_id"]) if substitution else None,
                       "lesson_theme": ls["topic"], "course_lesson_topic_id": ids("topic", ls["plan_lesson_id"])})
    add("schedule_events", events)
    add("marks", [{"id": ids("mark", m["id"]), "student_profile_id": ids("person", m["student_id"]),
                   "schedule_lesson_id": ids("lesson", m["lesson_id"]),
                   "control_form_id": ids("control-form", m["work_type_id"]), "name": m["value"],
                   "weight": int(float(m["weight"])), "comment": m["comment"] or "",
                   "teacher_id": ids("person", m["entered_by"]), "created_at": _iso(m["entered_at"]),
                   "updated_at": _iso(m["updated_at"] or m["entered_at"]), "is_point": False, "is_exam": False}
                  for m in _rows(bundle, "marks")])
    add("attendances", [{"id": ids("attendance", a["id"]), "student_profile_id": ids("person", a["student_id"]),
                         "schedule_lesson_id": ids("lesson", a["lesson_id"]), "absence_reason": REASONS[a["code"]],
                         "comment": a["comment"], "teacher_id": ids("person", a["recorded_by"]),
                         "created_at": f"{_ru(a['recorded_at'])} {a['recorded_at'][11:]}" if a["recorded_at"] else None}
                        for a in _rows(bundle, "attendance")])
    add("homeworks", [{"id": ids("homework", h["id"]), "description": h["text"],
                       "duration": int(h["duration_minutes"]) if h["duration_minutes"] else None,
                       "created_at": _iso(h["entered_at"]), "updated_at": _iso(h["entered_at"]),
                       "schedule_lesson_id": ids("lesson", h["lesson_id"]),
                       "homework": {"teacher_id": ids("person", h["entered_by"]), "date_prepared_for": h["due_date"]}}
                      for h in _rows(bundle, "homework")])
    add("final_marks", [{"id": ids("final", f["id"]), "student_profile_id": ids("person", f["student_id"]),
                         "subject_id": ids("subject", f["subject_id"]), "group_id": mesh_group(f["group_id"], f["subject_id"]),
                         "period_id": ids("period", f["period_id"]), "value": f["value"],
                         "teacher_id": ids("person", f["entered_by"]), "created_at": _iso(f["entered_at"])}
                        for f in _rows(bundle, "final_marks")])
    write_recording(resp, out / "responses.jsonl")
    return ids
