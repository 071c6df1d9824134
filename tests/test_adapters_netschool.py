"""«Сетевой город»: mobile API responses and the «Успеваемость ученика» report, built in the shapes of
data-formats §2.3–2.5 (samples/netschool/shapes.jsonc, report_studentgrades_columns.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from etl.adapters.netschool import SPECIAL_CODES
from etl.adapters.recording import Response, write_recording
from tests.adapter_fixtures import SAMPLES, query
from tests.netschool_export import CODES, export_netschool
from tests.round_trip import differing, metrics, subset_school

STUDENT = 7001


def test_sample_names_the_special_codes() -> None:
    text = (SAMPLES / "netschool" / "report_studentgrades_columns.md").read_text(encoding="utf-8")
    assert "УП/Б/НП/ОТ/ОП/ОСВ" in text and SPECIAL_CODES == ("УП", "Б", "НП", "ОТ", "ОП", "ОСВ")


def mobile_recording() -> list[Response]:
    def cm(n: int, day: str, subject: tuple[int, str], attendance: str | None = None) -> dict:
        return {"classmeetingId": n, "studentId": STUDENT, "assignmentId": [], "scheduleTimeNumber": 2,
                "subjectName": subject[1], "subjectId": subject[0], "subjectGroupId": 900 + subject[0],
                "day": f"{day}T00:00:00", "startTime": f"{day}T09:30:00", "teachers": [{"id": 55, "name": "Смирнова Ольга Ивановна"}],
                "lessonTheme": f"Тема {n}", "attendance": attendance}

    def asg(cmid: int, aid: int, result, type_=(1, "О", "Ответ на уроке"), **kw) -> dict:
        return {"classmeetingId": cmid, "assignmentId": aid, "assignmentName": "Работа на уроке", "description": "",
                "result": result, "assignmentTypeId": type_[0], "assignmentTypeAbbr": type_[1],
                "assignmentTypeName": type_[2], "weight": 1, "dueDate": None, "subjectId": 10, "duty": False} | kw

    math, rus = (10, "Математика"), (11, "Русский язык")
    return [
        Response("api/mobile/education", [{"class": {"id": 300, "name": "6Б"}, "school": {"id": 1, "name": "СОШ № 5"},
                                           "schoolyear": {"startDate": "2024-09-01T00:00:00"}}]),
        Response("api/mobile/users", [{"id": STUDENT, "lastName": "Зайцева", "firstName": "Мария"}]),
        Response("api/mobile/classmeetings", [cm(501, "2024-09-02", math), cm(502, "2024-09-03", math, "Б"),
                                              cm(503, "2024-09-03", rus)]),
        Response("api/mobile/assignments", [
            # the set time has fractional seconds of any length (§2.6)
            asg(501, 601, 5, resultDate="2024-09-02T15:10:34.99", weight=2,
                type_=(2, "К", "Контрольная работа")),
            asg(501, 602, None, type_=(3, "ДЗ", "Домашнее задание"), description="№ 12, 14",
                dueDate="2024-09-04T00:00:00", assignmentDate="2024-09-01T19:00:00+03:00"),
            asg(503, 603, "ОП", resultDate="2024-09-03T10:00:00"),  # a special code in the mark: attendance
            asg(503, 604, "4", resultDate="2024-09-09T08:00:00.5"),
        ]),
    ]


def test_mobile_api_marks_homework_and_codes(tmp_path: Path) -> None:
    write_recording(mobile_recording(), tmp_path / "ns" / "responses.jsonl")
    extract = adapter("netschool").read(tmp_path / "ns", ImportOptions())
    assert extract.mode == "delta"
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT value_raw, weight, entered_at, entered_at_source, lesson_date FROM marks ORDER BY entered_at") == [
        ("5", 2, dt.datetime(2024, 9, 2, 15, 10, 34), "netschool:resultDate", dt.date(2024, 9, 2)),
        ("4", 1, dt.datetime(2024, 9, 9, 8, 0), "netschool:resultDate", dt.date(2024, 9, 3)),
    ]
    assert query(db, "SELECT raw_code, status, lesson_date FROM attendance ORDER BY lesson_date, raw_code") == [
        ("Б", "absent_illness", dt.date(2024, 9, 3)), ("ОП", "late", dt.date(2024, 9, 3))]
    assert query(db, "SELECT text, due_date, entered_at, lesson_date FROM homework") == [
        ("№ 12, 14", dt.date(2024, 9, 4), dt.datetime(2024, 9, 1, 19, 0), dt.date(2024, 9, 2))]
    assert query(db, "SELECT count(*), count(DISTINCT subject_id), min(topic) FROM lessons") == [(3, 2, "Тема 501")]


def test_a_debt_is_no_mark_and_is_named_not_dropped(tmp_path: Path) -> None:
    """A «долг» (data-formats §2.2: dutyMark; the mobile API's `duty`, as the sample web_diary_fixture.json's
    «Долг» assignment) without a result was dropped without a word. It is no mark: a control work the pupil
    owes stays without his mark (control_work_incomplete counts it), and the import names every debt."""
    rec = mobile_recording()
    assignments = next(r for r in rec if r.path.endswith("assignments"))
    first = dict(assignments.body[0])
    assignments.body.append(first | {"assignmentId": 605, "result": None, "resultDate": None, "duty": True})
    assignments.body.append(first | {"assignmentId": 606, "result": "3", "duty": True})  # a debt marked: a mark
    write_recording(rec, tmp_path / "ns" / "responses.jsonl")
    extract = adapter("netschool").read(tmp_path / "ns", ImportOptions())
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT source_id, value_raw FROM marks ORDER BY 1") == [
        (f"netschool:mark:601:{STUDENT}", "5"), (f"netschool:mark:604:{STUDENT}", "4"),
        (f"netschool:mark:606:{STUDENT}", "3")]
    assert extract.notes == [(
        "Задолженностей (задание с пометкой «долг» без оценки): 1. Они не загружены как отметки: у ученика нет "
        "отметки за это задание (за контрольную работу это покажет проверка «Контрольные без полного ряда "
        "отметок»). responses.jsonl, строка 4 (api/mobile/assignments), запись 5: задание 605 «Контрольная работа», "
        f"ученик {STUDENT}")]


def test_extra_activities_are_not_journal_lessons(tmp_path: Path) -> None:
    """A classmeeting says whether it is внеурочка or доп. образование (extraActivity, addEducation,
    data-formats §2.3); they were loaded as lessons of the class journal, with their topics and marks, so
    the class had more lessons held, topics missing and marks than its journal."""
    rec = mobile_recording()
    meetings = next(r for r in rec if r.path.endswith("classmeetings"))
    meetings.body.extend([meetings.body[0] | {"classmeetingId": 510, "extraActivity": True, "lessonTheme": ""},
                          meetings.body[2] | {"classmeetingId": 511, "addEducation": True}])
    assignments = next(r for r in rec if r.path.endswith("assignments"))
    assignments.body.append(assignments.body[-1] | {"classmeetingId": 510, "assignmentId": 610})
    write_recording(rec, tmp_path / "ns" / "responses.jsonl")
    extract = adapter("netschool").read(tmp_path / "ns", ImportOptions())
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT list(source_id ORDER BY source_id) FROM lessons") == [
        (["netschool:lesson:501", "netschool:lesson:502", "netschool:lesson:503"],)]
    assert query(db, "SELECT count(*) FROM marks") == [(2,)]
    assert extract.notes == [("Занятий внеурочной деятельности и дополнительного образования (extraActivity, "
                              "addEducation): 2. Это не уроки классного журнала: они не загружены, как и их задания "
                              "и отметки.")]


def test_times_with_an_offset_are_moved_into_the_school_s_zone(tmp_path: Path) -> None:
    """An offset was dropped: a mark set at 21:30 UTC (02:30 the next day in Yekaterinburg) loaded at 21:30 of
    the day before, its lag a day short; the publish time «+03:00» of a Yekaterinburg school two hours early."""
    rec = mobile_recording()
    for a in rec[3].body:
        if a["assignmentId"] == 601:
            a["resultDate"] = "2024-09-02T21:30:00Z"
    write_recording(rec, tmp_path / "ns" / "responses.jsonl")
    extract = adapter("netschool").read(tmp_path / "ns", ImportOptions(timezone="Asia/Yekaterinburg"))
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT value_raw, entered_at FROM marks ORDER BY value_raw") == [
        ("4", dt.datetime(2024, 9, 9, 8, 0)),  # no offset: school local as written
        ("5", dt.datetime(2024, 9, 3, 2, 30)),
    ]
    assert query(db, "SELECT entered_at FROM homework") == [(dt.datetime(2024, 9, 1, 21, 0),)]


def test_a_date_only_result_date_keeps_date_precision(tmp_path: Path) -> None:
    """«2024-09-09» loaded as 2024-09-09 00:00:00 to the second: a lag passed off as exact (issue 3)."""
    rec = mobile_recording()
    for a in rec[3].body:
        if a["assignmentId"] == 604:
            a["resultDate"] = "2024-09-09"
    write_recording(rec, tmp_path / "ns" / "responses.jsonl")
    db = tmp_path / "wh.duckdb"
    assert import_extract(adapter("netschool").read(tmp_path / "ns", ImportOptions()), db).report.status == "loaded"
    assert query(db, "SELECT value_raw, entered_at, entered_at_precision FROM marks ORDER BY value_raw") == [
        ("4", dt.datetime(2024, 9, 9), "date"), ("5", dt.datetime(2024, 9, 2, 15, 10, 34), "second")]


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    write_recording(mobile_recording(), tmp_path / "ns" / "responses.jsonl")
    with pytest.raises(AdapterError, match="часовой пояс «Asia/Ekaterinburg» неизвестен: укажите его имя IANA"):
        adapter("netschool").read(tmp_path / "ns", ImportOptions(timezone="Asia/Ekaterinburg"))


def test_mobile_assignment_for_an_unknown_lesson_is_refused(tmp_path: Path) -> None:
    rec = mobile_recording()
    rec[3].body[0]["classmeetingId"] = 999
    write_recording(rec, tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError, match=r"responses.jsonl, строка 4 .*к уроку 999, которого нет в ответе classmeetings"):
        adapter("netschool").read(tmp_path / "responses.jsonl", ImportOptions())


REPORT = """<html><head><meta charset="windows-1251"></head><body>
<h2>Успеваемость ученика</h2><p>Ученик: Зайцева Мария, класс: 6Б</p>
<table class="table-print">
<tr><td colspan="5">Математика</td></tr>
<tr><th>Тип задания</th><th>Тема</th><th>Дата урока</th><th>Дата выставления оценки</th><th>Оценка</th></tr>
<tr><td>Контрольная работа</td><td>Дроби</td><td>02.09.24</td><td>09.09.24</td><td>5</td></tr>
<tr><td>Ответ на уроке</td><td>Дроби</td><td>03.09.24</td><td>01.09.24</td><td>4</td></tr>
<tr><td>Ответ на уроке</td><td>Дроби</td><td>04.09.2024</td><td>04.09.2024</td><td>УП</td></tr>
<tr><td colspan="5">Русский язык</td></tr>
<tr><th>Тип задания</th><th>Тема</th><th>Дата урока</th><th>Дата выставления оценки</th><th>Оценка</th></tr>
<tr><td>Диктант</td><td>Орфограммы</td><td>03.09.24</td><td>05.09.24</td><td>3</td></tr>
<tr><td>Диктант</td><td>Орфограммы</td><td>03.09.24</td><td>05.09.24</td><td>4</td></tr>
<tr><td>Ответ на уроке</td><td></td><td>05.09.24</td><td>05.09.24</td><td>осв</td></tr>
</table></body></html>"""


def test_report_dates_lags_and_codes(tmp_path: Path) -> None:
    page = tmp_path / "studentgrades.html"
    page.write_bytes(REPORT.encode("cp1251"))
    extract = adapter("netschool").read(page, ImportOptions(school_name="СОШ № 5"))
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    # the entry date minus the lesson date, as the report gives them; one mark "entered" before its lesson
    assert query(db, "SELECT value_raw, entered_at_precision, (entered_at::DATE - lesson_date) AS lag, "
                     "flag_entered_before_lesson FROM marks ORDER BY lesson_date, value_raw") == [
        ("5", "date", 7, False), ("3", "date", 2, False), ("4", "date", -2, True), ("4", "date", 2, False)]
    assert query(db, "SELECT raw_code, status FROM attendance ORDER BY 1") == [("ОСВ", "exempt"), ("УП", "absent_excused")]
    assert query(db, "SELECT name, grade FROM groups") == [("6Б", 6)]
    assert query(db, "SELECT last_name, first_name FROM people") == [("Зайцева", "Мария")]


def test_a_debt_in_the_report_is_no_mark(tmp_path: Path) -> None:
    """«.» or «*» in the report's «Оценка» is a debt (data-formats §7.2), an empty cell no mark yet: they loaded
    as placeholder marks, so a control work the pupil owes counted as marked (control_work_incomplete), as a
    mark of unknown entry time in mark_lag — while the mobile API's debts are not loaded."""
    owed = ('<tr><td>Контрольная работа</td><td>Дроби</td><td>02.09.24</td><td></td><td>.</td></tr>\n'
            '<tr><td>Диктант</td><td>Орфограммы</td><td>03.09.24</td><td></td><td></td></tr>\n</table>')
    page = tmp_path / "studentgrades.html"
    page.write_bytes(REPORT.replace("</table>", owed, 1).encode("cp1251"))
    extract = adapter("netschool").read(page, ImportOptions(school_name="СОШ № 5"))
    db = tmp_path / "wh.duckdb"
    assert import_extract(extract, db).report.status == "loaded"
    assert query(db, "SELECT list(value_raw ORDER BY lesson_date, value_raw) FROM marks") == [(["5", "3", "4", "4"],)]
    assert extract.notes == [(
        "Задолженностей («.» или «*» в «Оценке», или оценки нет): 2. Они не загружены как отметки: у ученика нет "
        "отметки за это задание (за контрольную работу это покажет проверка «Контрольные без полного ряда "
        "отметок»). studentgrades.html, строка таблицы 11: «Контрольная работа» за 02.09.2024, в «Оценке» «.»; "
        "studentgrades.html, строка таблицы 12: «Диктант» за 03.09.2024, в «Оценке» «»")]


def test_report_without_school_name_or_table_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    page.write_bytes(REPORT.encode("cp1251"))
    with pytest.raises(AdapterError, match="нет названия школы; укажите --school-name"):
        adapter("netschool").read(page, ImportOptions())
    page.write_text("<html><body><table><tr><td>Предмет</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(AdapterError, match="не найдена таблица отчёта «Успеваемость ученика»"):
        adapter("netschool").read(page, ImportOptions(school_name="СОШ № 5"))


def test_subject_group_not_every_pupil_attends_is_a_subgroup(tmp_path: Path) -> None:
    # two pupils; English is taught in halves (subject groups 931, 932), mathematics to the whole class (910)
    def cm(n: int, pupil: int, subject: tuple[int, str], group: int) -> dict:
        return {"classmeetingId": n, "studentId": pupil, "scheduleTimeNumber": 3, "subjectId": subject[0],
                "subjectName": subject[1], "subjectGroupId": group, "day": "2024-09-02T00:00:00",
                "teachers": [{"id": 55, "name": "Смирнова Ольга Ивановна"}], "lessonTheme": "Тема"}

    math, eng = (10, "Математика"), (12, "Английский язык")
    rec = mobile_recording()[:1] + [
        Response("api/mobile/users", [{"id": 7001, "lastName": "Зайцева", "firstName": "Мария"},
                                      {"id": 7002, "lastName": "Орлов", "firstName": "Иван"}]),
        Response("api/mobile/classmeetings", [cm(501, 7001, math, 910), cm(501, 7002, math, 910),
                                              cm(502, 7001, eng, 931), cm(503, 7002, eng, 932)]),
    ]
    write_recording(rec, tmp_path / "responses.jsonl")
    db = tmp_path / "wh.duckdb"
    assert import_extract(adapter("netschool").read(tmp_path / "responses.jsonl", ImportOptions()), db).report.status == "loaded"
    assert query(db, "SELECT l.source_id, g.kind, g.source_id, list(p.last_name ORDER BY p.last_name) FROM lessons l "
                     "JOIN groups g ON g.id = l.group_id JOIN memberships m ON m.group_id = g.id "
                     "JOIN people p ON p.id = m.student_id GROUP BY ALL ORDER BY 1") == [
        ("netschool:lesson:501", "class", "netschool:class:300", ["Зайцева", "Орлов"]),
        ("netschool:lesson:502", "subgroup", "netschool:group:931", ["Зайцева"]),
        ("netschool:lesson:503", "subgroup", "netschool:group:932", ["Орлов"])]


# ---------------------------------------------------------------- round trip

# What a pupil's NetSchool diary does not carry (docs/adapters.md, «Сетевой город», round trip): who
# entered a mark (entered_by: mark_spree, substitution_unrecorded, entry_after_compromise), whether a work
# type is a control work (deadlines: mark_late, mark_lag's deadline and verdict, lesson_marks_density,
# control_work_incomplete, the marks' within-deadline share), roll-call and topic entry times
# (attendance_unmarked, attendance_late, topic_late), planned vs actual teacher (substitutions), КТП and
# curriculum (topic_plan_mismatch, programme_delivery's plan columns), holidays and quarantines (school
# days, illness_spikes' quarantine rows), homework duration (homework_load's minutes), cancelled lessons
# (not in a diary), and periods and period marks (the adapter does not read `totals`: two_on_period_edge,
# period_mark_*, too_few_marks, results_summary, student_categories, summary_sheet).
NETSCHOOL_ROUND_TRIP = (
    "mark_lag", "mark_entered_before_lesson", "homework_missing", "homework_late", "homework_in_advance",
    "homework_load", "attendance_summary", "attendance_students", "chronic_absentees", "na_risk", "illness_spikes",
    "mark_on_absence_no_comment", "topic_missing", "mark_work_type_missing", "student_marks_density",
    "two_after_absence", "two_not_corrected", "two_in_a_row", "teacher_workload", "programme_delivery",
    "timeliness_summary",
)
JOURNAL_CODES = {v: k for k, v in CODES.items()}
NETSCHOOL_ADJUST = {
    "mark_lag": lambda df: df.drop("is_control", "entered_by", "school_days_min", "school_days_max", "deadline_days",
                                   "timeliness"),
    "mark_entered_before_lesson": lambda df: df.drop("entered_by"),
    # the journal's own letters for NetSchool's codes (§2.4): НП is Н, УП is П, ОП is О
    "mark_on_absence_no_comment": lambda df: df.with_columns(pl.col("attendance_code").replace(JOURNAL_CODES)),
    "homework_load": lambda df: df.drop("tasks_timed", "minutes_known", "over_limit"),
    "illness_spikes": lambda df: df.filter(pl.col("source") == "attendance").drop("quarantine"),
    "teacher_workload": lambda df: df.drop("lessons_cancelled"),
    "programme_delivery": lambda df: df.select("group_id", "class_id", "subject_id", "teacher_id", "lessons_held"),
    "timeliness_summary": lambda df: df.filter(pl.col("item").is_in(["marks", "homework"])).drop(
        "within_deadline", "share_within_deadline"),
}


@pytest.mark.slow
def test_demo_classes_through_netschool_give_the_same_metrics(demo_school, tmp_path: Path) -> None:
    bundle, canonical_db = subset_school(demo_school.bundle, tmp_path / "canonical")
    ids = export_netschool(bundle, tmp_path / "netschool")
    db = tmp_path / "netschool.duckdb"
    for recording in sorted((tmp_path / "netschool").iterdir()):  # one recording per class
        report = import_extract(adapter("netschool").read(recording, ImportOptions()), db).report
        assert report.status == "loaded" and not report.top_reject_reasons
    canonical = metrics(canonical_db, NETSCHOOL_ROUND_TRIP, adjust=NETSCHOOL_ADJUST)
    imported = metrics(db, NETSCHOOL_ROUND_TRIP, ids.back, NETSCHOOL_ADJUST)
    assert differing(canonical, imported) == []
    # the comparison has teeth: every compared metric finds something in these classes, except that the
    # demo has no mark without a work type (so the import must not lose one)
    assert [name for name, df in canonical.items() if df.height == 0] == ["mark_work_type_missing"]
    assert canonical["mark_entered_before_lesson"].height == 2


def _damaged_recording(tmp: Path, damage: Callable[[list[Response]], list[Response]]) -> Path:
    path = tmp / "ns" / "responses.jsonl"
    write_recording(damage(mobile_recording()), path)
    return path


def _without_result_date(rec: list[Response]) -> list[Response]:
    for a in rec[3].body:
        a.pop("resultDate", None)  # a new API version names it otherwise
    return rec


def _without_users(rec: list[Response]) -> list[Response]:
    return [r if not r.path.endswith("users") else dataclasses.replace(r, body=[]) for r in rec]


@pytest.mark.parametrize(("damage", "message"), [
    # the marks loaded without an entry time: the import's own time stood in for it (every mark "possibly late")
    (_without_result_date, ("responses.jsonl, строка 4 (api/mobile/assignments): у оценки «5» задания 601 нет "
                            "resultDate (когда выставлена); без него своевременность не посчитать — запись другой "
                            "версии API?")),
    # no pupil to give the marks to: they were dropped without a word, the lessons loaded
    (_without_users, ("responses.jsonl, строка 4 (api/mobile/assignments): оценка «5» задания 601 без ученика: в "
                      "задании нет studentId, а в ответе users нет ни одного ученика")),
], ids=["resultDate renamed", "no pupil"])
def test_a_damaged_recording_is_refused_naming_the_record(tmp_path: Path, damage, message: str) -> None:
    with pytest.raises(AdapterError) as e:
        adapter("netschool").read(_damaged_recording(tmp_path, damage), ImportOptions())
    assert str(e.value) == message
