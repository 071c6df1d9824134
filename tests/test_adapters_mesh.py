"""МЭШ: a small recording in the documented shapes (the real sample mark among them), and the demo
school exported as a МЭШ recording and imported back (same metrics as the canonical load)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from etl.adapters.recording import Response, write_recording
from etl.warehouse import connect_readonly
from queries import Scope, run
from tests.adapter_fixtures import SAMPLES, query
from tests.mesh_export import export_mesh
from tests.round_trip import differing, import_with_incidents, metrics

SAMPLE_MARK = json.loads((SAMPLES / "mesh" / "mobile_api_marks_mark_id.json").read_text(encoding="utf-8"))
LESSON = SAMPLE_MARK["activity"]["schedule_item_id"]  # 316164938


def small_recording() -> list[Response]:
    year = {"id": 7, "name": "2021-2022", "begin_date": "01.09.2021", "end_date": "31.08.2022"}
    return [
        Response("ej/core/teacher/v1/schools/501", {"id": 501, "short_name": "ГБОУ Школа № 1", "municipality": "Москва"}),
        Response("ej/core/teacher/v1/academic_years", [year]),
        Response("ej/core/teacher/v1/periods_schedules", [{"id": 90, "academic_year_id": 7, "periods": [
            {"id": 91, "name": "2 полугодие", "begin_date": "10.01.2022", "end_date": "29.05.2022", "is_vacation": False},
            {"id": 92, "name": "Весенние каникулы", "begin_date": "21.03.2022", "end_date": "27.03.2022",
             "is_vacation": True}]}]),
        Response("ej/core/teacher/v1/class_units", [{"id": 30, "name": "11А", "class_level_id": 11,
                                                     "academic_year_id": 7, "periods_schedule_id": 90}]),
        Response("ej/core/teacher/v1/teacher_profiles", [
            {"id": 40, "last_name": "Кузнецов", "first_name": "Александр", "middle_name": "Юрьевич", "sex": "male"},
            {"id": 41, "last_name": "Орлова", "first_name": "Нина", "sex": "female"}]),
        Response("ej/core/teacher/v1/student_profiles", [
            {"id": 50, "last_name": "Иванов", "first_name": "Пётр", "class_units": [
                {"class_unit_id": 30, "begin_date": "01.09.2021", "end_date": None}]},
            {"id": 51, "last_name": "Петрова", "first_name": "Анна", "class_units": [
                {"class_unit_id": 30, "begin_date": "01.09.2021", "end_date": "15.04.2022"}]}]),
        Response("ej/core/teacher/v1/subjects", [{"id": 60, "name": "Физика"}, {"id": 61, "name": "Английский язык"}]),
        Response("ej/core/teacher/v1/control_forms", [{"id": 70, "name": "Контрольная работа", "short_name": "КР",
                                                       "weight": 2, "is_control": True}]),
        Response("ej/core/teacher/v1/groups", [
            {"id": 80, "name": "11А Физика", "subject_id": 60, "class_unit_ids": [30], "teacher_id": 40,
             "hours_per_week": 2, "is_subgroup": False},
            {"id": 81, "name": "11А англ. 1", "subject_id": 61, "class_unit_ids": [30], "teacher_id": 41,
             "hours_per_week": 3, "is_subgroup": True, "students": [{"student_profile_id": 50, "begin_date": "01.09.2021"}]}]),
        Response("api/eventcalendar/v1/api/schedule_events", [
            {"id": LESSON, "source": "PLAN", "start_at": "2022-04-18T09:00:00", "lesson_number": 2, "group_id": 80,
             "subject_id": 60, "teacher_id": 40, "replaced": False, "cancelled": False,
             "lesson_theme": SAMPLE_MARK["activity"]["lesson_topic"]},
            {"id": 316164939, "source": "PLAN", "start_at": "2022-04-19T10:00:00", "lesson_number": 3, "group_id": 81,
             "subject_id": 61, "teacher_id": 41, "replaced": True, "replaced_teacher_id": 40, "cancelled": False,
             "lesson_theme": "Present Perfect"},
            {"id": 316164940, "source": "PLAN", "start_at": "2022-04-20T10:00:00", "group_id": 80, "subject_id": 60,
             "teacher_id": 40, "cancelled": True},
            {"id": 5, "source": "EC", "start_at": "2022-04-20T15:00:00", "group_id": 999}]),  # внеурочка: skipped
        Response("ej/core/teacher/v1/marks", [
            SAMPLE_MARK | {"student_profile_id": 50},  # the mobile shape exactly as captured
            {"id": 1664176531, "student_profile_id": 50, "schedule_lesson_id": 316164939, "control_form_id": 70,
             "name": "4", "weight": 2, "teacher_id": 40, "created_at": "25.04.2022 18:05:10",
             "updated_at": "26.04.2022 08:00:00", "is_point": False},
            {"id": 1664176532, "student_profile_id": 51, "schedule_lesson_id": LESSON, "name": "2", "weight": 1,
             "teacher_id": 40, "created_at": "2022-04-18T10:00:00", "updated_at": "2022-04-18T10:00:00",
             "is_point": True}]),
        Response("ej/core/teacher/v1/attendances", [
            {"id": 11, "student_profile_id": 51, "schedule_lesson_id": LESSON, "absence_reason": "Болезнь",
             "teacher_id": 40, "created_at": "18.04.2022 09:05:00"},
            {"id": 12, "student_profile_id": 50, "schedule_lesson_id": 316164939,
             "absence_reason": "Неуважительная причина", "teacher_id": 40, "created_at": "2022-04-19T10:03:00"}]),
        Response("ej/core/teacher/v1/homeworks", [
            {"id": 21, "description": "§ 78, задачи 1–3", "duration": 30, "created_at": "2022-04-17T20:15:00",
             "schedule_lesson_id": LESSON, "homework": {"teacher_id": 40, "date_prepared_for": "2022-04-20"}}]),
        Response("ej/core/teacher/v1/final_marks", [
            {"id": 31, "student_profile_id": 50, "subject_id": 60, "group_id": 80, "period_id": 91, "value": "4",
             "teacher_id": 40, "created_at": "2022-05-27T12:00:00"}]),
    ]


def _load(tmp_path: Path, responses: list[Response]) -> Path:
    write_recording(responses, tmp_path / "mesh" / "responses.jsonl")
    extract = adapter("mesh").read(tmp_path / "mesh", ImportOptions())
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    return db


def test_small_recording_maps_marks_schedule_homework_and_calendar(tmp_path: Path) -> None:
    db = _load(tmp_path, small_recording())
    assert query(db, "SELECT source_id, value_raw, weight, counts_in_average, entered_at, entered_at_precision, "
                     "entered_at_source, updated_at FROM marks ORDER BY source_id") == [
        ("mesh:mark:1664176530", "3", 1, True, dt.datetime(2022, 4, 18, 9, 2), "second", "mesh:created_at", None),
        ("mesh:mark:1664176531", "4", 2, True, dt.datetime(2022, 4, 25, 18, 5, 10), "second", "mesh:created_at",
         dt.datetime(2022, 4, 26, 8, 0)),
        ("mesh:mark:1664176532", "2", 1, False, dt.datetime(2022, 4, 18, 10, 0), "second", "mesh:created_at", None),
    ]
    # the sample's control form came by name only; the core mark's by id with its weight and control flag
    assert query(db, "SELECT source_id, name, weight, is_control FROM work_types ORDER BY 1") == [
        ("mesh:control-form:70", "Контрольная работа", 2, True), ("mesh:control-form:Тест", "Тест", 1, False)]
    assert query(db, "SELECT source_id, status, is_substitution, planned_teacher_id = actual_teacher_id, topic "
                     "FROM lessons ORDER BY lesson_date") == [
        (f"mesh:lesson:{LESSON}", "held", False, True, "Закон радиоактивного распада. Период полураспада"),
        ("mesh:lesson:316164939", "held", True, False, "Present Perfect"),
        ("mesh:lesson:316164940", "cancelled", False, True, None),
    ]
    assert query(db, "SELECT raw_code, status FROM attendance ORDER BY raw_code") == [
        ("Б", "absent_illness"), ("Н", "absent_unexcused")]
    assert query(db, "SELECT text, due_date, duration_minutes, entered_at FROM homework") == [
        ("§ 78, задачи 1–3", dt.date(2022, 4, 20), 30, dt.datetime(2022, 4, 17, 20, 15))]
    assert query(db, "SELECT g.kind, g.name, count(m.student_id), max(m.valid_to) FROM groups g "
                     "LEFT JOIN memberships m ON m.group_id = g.id GROUP BY ALL ORDER BY 1") == [
        ("class", "11А", 2, dt.date(2022, 4, 15)), ("subgroup", "11А англ. 1", 1, None)]
    assert query(db, "SELECT name, kind, grade_from, grade_to FROM periods") == [("2 полугодие", "half_year", 11, 11)]
    assert query(db, "SELECT name, kind, start_date, grade_from FROM holidays") == [
        ("Весенние каникулы", "vacation", dt.date(2022, 3, 21), 11)]
    assert query(db, "SELECT weekly_hours FROM curriculum ORDER BY 1") == [(2,), (3,)]
    assert query(db, "SELECT kind, value_raw FROM final_marks") == [("period", "4")]


def test_a_date_only_created_at_keeps_date_precision(tmp_path: Path) -> None:
    """The core API writes dates as «22.12.2017» (data-formats §3.7): such a created_at loaded as midnight to
    the second, so mark_lag reported its lag as exact (issue 3: a bound with its precision)."""
    rec = small_recording()
    marks = next(r for r in rec if r.path.endswith("marks"))
    marks.body[1]["created_at"], marks.body[1]["updated_at"] = "25.04.2022", "26.04.2022"
    marks.body[2]["created_at"] = marks.body[2]["updated_at"] = "2022-04-18"
    db = _load(tmp_path, rec)
    assert query(db, "SELECT source_id, entered_at, entered_at_precision FROM marks ORDER BY source_id") == [
        ("mesh:mark:1664176530", dt.datetime(2022, 4, 18, 9, 2), "second"),
        ("mesh:mark:1664176531", dt.datetime(2022, 4, 25), "date"),
        ("mesh:mark:1664176532", dt.datetime(2022, 4, 18), "date"),
    ]
    con = connect_readonly(db)
    try:
        lags = run(con, "mark_lag", Scope(date_from=dt.date(2022, 4, 1), date_to=dt.date(2022, 5, 31)))
    finally:
        con.close()
    assert sorted(lags.select("mark_id", "lag_basis", "lag_precision").rows()) == [
        ("mesh:mark:1664176530", "entered_at", "second"),
        ("mesh:mark:1664176531", "entered_at", "date"),
        ("mesh:mark:1664176532", "entered_at", "date"),
    ]


def test_unknown_group_is_refused_with_its_place(tmp_path: Path) -> None:
    bad = small_recording()
    events = next(r for r in bad if r.path.endswith("schedule_events"))
    events.body[0]["group_id"] = 12345
    write_recording(bad, tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError, match=r"responses.jsonl, строка 10 .*группа 12345 не описана в ответе groups"):
        adapter("mesh").read(tmp_path / "responses.jsonl", ImportOptions())


@pytest.mark.parametrize(("field", "message"), [
    # the mark loaded untimed: the import's own time stood in for its entry (reported «possibly late»)
    ("created_at", "у отметки 1664176531 нет created_at"),
    # the mark loaded as an empty placeholder instead of its «4»
    ("name", "у отметки 1664176531 нет name/value"),
])
def test_a_mark_whose_field_was_renamed_is_refused(tmp_path: Path, field: str, message: str) -> None:
    bad = small_recording()
    marks = next(r for r in bad if r.path.endswith("/marks"))
    marks.body[1][f"{field}_v2"] = marks.body[1].pop(field)  # a new API version names it otherwise
    write_recording(bad, tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError) as e:
        adapter("mesh").read(tmp_path / "responses.jsonl", ImportOptions())
    assert str(e.value) == (f"responses.jsonl, строка 11 (ej/core/teacher/v1/marks): {message}; "
                            "запись другой версии API?")


def test_absence_reasons_by_id_are_looked_up_and_an_unknown_one_is_rejected_not_read_as_truancy(tmp_path: Path) -> None:
    """The core API gives an absence's reason as an opaque absence_reason_id (data-formats §3.5); the adapter
    read only a reason's name, so every such absence became «Н», and so did any name it did not know: a pupil
    ill with a doctor's note was counted unexcused before the council. An id is now looked up in the
    recording's absence_reasons; «без уважительной причины» is unexcused, not excused; a reason the table
    does not know is rejected with its place and value and named in a note; no reason at all stays «Н»."""
    rec = small_recording()
    absences = next(r for r in rec if r.path.endswith("attendances"))
    base = {"student_profile_id": 50, "schedule_lesson_id": LESSON, "teacher_id": 40,
            "created_at": "18.04.2022 09:05:00"}
    absences.body[:] = [base | {"id": 11, "absence_reason_id": 6},
                        base | {"id": 12, "absence_reason_id": 7, "student_profile_id": 51},
                        base | {"id": 13, "absence_reason_id": 8, "schedule_lesson_id": 316164939},
                        base | {"id": 14, "absence_reason_id": 99, "student_profile_id": 51,
                                "schedule_lesson_id": 316164939},
                        base | {"id": 15, "absence_reason": "Без уважительной причины",
                                "schedule_lesson_id": 316164940},
                        base | {"id": 16, "student_profile_id": 51, "schedule_lesson_id": 316164940}]
    rec.append(Response("ej/core/teacher/v1/absence_reasons", [
        {"id": 6, "name": "Болезнь"}, {"id": 7, "name": "Санаторно-курортное лечение (справка)"},
        {"id": 8, "name": "По уважительной причине"}]))
    write_recording(rec, tmp_path / "mesh" / "responses.jsonl")
    extract = adapter("mesh").read(tmp_path / "mesh", ImportOptions())
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT source_id, raw_code, status FROM attendance ORDER BY source_id") == [
        ("mesh:attendance:11", "Б", "absent_illness"), ("mesh:attendance:13", "П", "absent_excused"),
        ("mesh:attendance:15", "Н", "absent_unexcused"), ("mesh:attendance:16", "Н", "absent_unexcused")]
    assert query(db, "SELECT value, source_place FROM rejected_rows WHERE table_name = 'attendance' ORDER BY 1") == [
        ("Санаторно-курортное лечение (справка)", "responses.jsonl, строка 12 (ej/core/teacher/v1/attendances), запись 2"),
        ("причина 99", "responses.jsonl, строка 12 (ej/core/teacher/v1/attendances), запись 4")]
    assert extract.notes == [(
        "Отсутствий с причиной, которой нет в таблице причин МЭШ (docs/adapters.md): 2. Они не засчитаны "
        "неуважительными, а отклонены с местом в записи: «Санаторно-курортное лечение (справка)» — 1; "
        "«причина 99» — 1. Причина без названия — её нет в ответе absence_reasons.")]


@pytest.mark.parametrize(("where", "field", "scale"), [
    ("marks", "grade_system_type", "ten"),  # core shape
    ("marks", "original_grade_system_type", "hundred"),  # mobile shape (the sample says "five")
    ("marks", "values", "ten"),  # family shape: values[].grade_system_type, as mark_value_example.json
    ("final_marks", "grade_system_type", "ten"),
])
def test_marks_on_a_ten_or_hundred_point_scale_are_refused(tmp_path: Path, where: str, field: str, scale: str) -> None:
    """МЭШ marks name their grade system (data-formats §3.2, §7.2: five, ten, hundred); the adapter read the
    value alone, so a ten-point «4» loaded as a good five-point «4» (a «5» of 100 as an excellent mark)."""
    rec = small_recording()
    marks = next(r for r in rec if r.path.endswith(f"/{where}"))
    value = json.loads((SAMPLES / "mesh" / "mark_value_example.json").read_text(encoding="utf-8"))
    marks.body[0][field] = [value | {"grade_system_type": scale}] if field == "values" else scale
    write_recording(rec, tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError) as e:
        adapter("mesh").read(tmp_path / "responses.jsonl", ImportOptions())
    line, what = (11, "отметка 1664176530") if where == "marks" else (14, "итоговая отметка 31")
    assert str(e.value).startswith(f"responses.jsonl, строка {line} (ej/core/teacher/v1/{where}): {what} — по шкале "
                                   f"{scale}, а Завуч ведёт отметки по пятибалльной шкале five (положение 2.11); в "
                                   f"записи 1 такая отметка (шкалы «{scale}»)")


def test_the_five_point_scale_of_the_sample_loads(tmp_path: Path) -> None:
    rec = small_recording()
    marks = next(r for r in rec if r.path.endswith("/marks"))
    value = json.loads((SAMPLES / "mesh" / "mark_value_example.json").read_text(encoding="utf-8"))
    marks.body[1] |= {"grade_system_type": "five", "values": [value]}
    db = _load(tmp_path, rec)
    assert query(db, "SELECT value_raw, value_num FROM marks ORDER BY source_id") == [("3", 3), ("4", 4), ("2", 2)]


def test_marks_and_homework_deleted_in_mesh_are_not_loaded_as_live(tmp_path: Path) -> None:
    """Core marks carry deleted_by and homework deleted_at (data-formats §3.2, §3.4); they were not read, so a
    mark the teacher deleted stayed in the pupil's marks and averages and a deleted task counted as set."""
    def recording() -> list[Response]:
        rec = small_recording()
        tasks = next(r for r in rec if r.path.endswith("homeworks")).body
        tasks.append(tasks[0] | {"id": 22, "schedule_lesson_id": 316164939, "homework": {"teacher_id": 41}})
        return rec

    db = _load(tmp_path, recording())
    rec = recording()
    next(r for r in rec if r.path.endswith("/marks")).body[1]["deleted_by"] = 40
    next(r for r in rec if r.path.endswith("homeworks")).body[0]["homework"]["deleted_at"] = "2022-04-18T07:00:00"
    write_recording(rec, tmp_path / "again" / "responses.jsonl")
    extract = adapter("mesh").read(tmp_path / "again", ImportOptions())
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT source_id FROM marks WHERE deleted_at IS NOT NULL") == [("mesh:mark:1664176531",)]
    assert query(db, "SELECT source_id FROM homework WHERE deleted_at IS NOT NULL") == [("mesh:homework:21",)]
    assert extract.notes == [("Удалённые в МЭШ записи (deleted_by, deleted_at) не загружены: отметок — 1, домашних "
                              "заданий — 1; загруженные раньше помечены удалёнными.")]


# ---------------------------------------------------------------- round trip

# What МЭШ does not carry, so these cannot match (docs/adapters.md, МЭШ): when and by whom a lesson's topic
# was written and when the roll was taken (topic_late, attendance_unmarked, the topic and attendance rows
# of timeliness_summary; topic_missing, because a topic written by a compromised account after the report
# is invalid and counts as missing, and the topic and roll-call rows of entry_after_compromise), which
# account filled a lesson (substitution_unrecorded, substitutions.entered_by). The school's register of
# compromised accounts is entered into the import as a school would (tests/round_trip.py).
ROUND_TRIP = (
    "mark_lag", "mark_late", "mark_spree", "mark_entered_before_lesson", "attendance_late",
    "homework_missing", "homework_late", "homework_in_advance", "homework_load",
    "attendance_summary", "attendance_students", "chronic_absentees", "na_risk", "illness_spikes",
    "mark_on_absence_no_comment", "topic_plan_mismatch", "mark_work_type_missing",
    "lesson_marks_density", "student_marks_density", "control_work_incomplete", "two_after_absence",
    "two_not_corrected", "two_in_a_row", "two_on_period_edge", "period_mark_missing", "period_mark_late",
    "too_few_marks", "period_mark_mismatch", "period_mark_basis_changed", "teacher_workload", "programme_delivery",
)
ADJUST = {"timeliness_summary": lambda df: df.filter(pl.col("item").is_in(["marks", "homework"])),
          "substitutions": lambda df: df.drop("entered_by"),
          "entry_after_compromise": lambda df: df.filter(
              (pl.col("kind") != "тема") & ((pl.col("kind") != "посещаемость") | pl.col("student_id").is_not_null()))}
COMPARED = (*ROUND_TRIP, "timeliness_summary", "substitutions", "entry_after_compromise")


@pytest.mark.slow
def test_demo_school_through_mesh_gives_the_same_metrics(demo_school, tmp_path: Path) -> None:
    ids = export_mesh(demo_school.bundle, tmp_path / "mesh")
    assert import_with_incidents("mesh", tmp_path / "mesh", demo_school.bundle, tmp_path / "mesh.duckdb", ids.back) == 1
    canonical = metrics(demo_school.db, COMPARED, adjust=ADJUST)
    assert differing(canonical, metrics(tmp_path / "mesh.duckdb", COMPARED, ids.back, ADJUST)) == []
    # the comparison has teeth: the planted violations are there on both sides
    assert canonical["mark_entered_before_lesson"].height == 2 and canonical["mark_spree"].height > 0
    assert canonical["timeliness_summary"].height > 0 and canonical["substitutions"].height > 0
    assert canonical["entry_after_compromise"].height > 0  # the marks entered after the reported compromise
