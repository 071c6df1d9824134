"""Дневник.ру: a recording built in the API's documented shapes (data-formats §1.2), mapped and loaded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from etl.adapters.base import write_bundle
from etl.adapters.recording import FILE_NAME, Response, write_recording
from etl.loader import load_bundle
from queries.deck import rejected_rows
from tests.adapter_fixtures import SAMPLES, query
from tests.dnevnik_export import export_dnevnik
from tests.round_trip import differing, import_with_incidents, metrics

# 64-bit ids: the numeric field is what a JavaScript client would round; only *_str is exact.
BIG = 1_000_000_000_000_000_123
SCHOOL, CLASS, SUB = "1000000000000000001", "2000000000000000001", "2000000000000000002"
T1, S1, S2 = "3000000000000000001", "4000000000000000001", "4000000000000000002"


def small_recording() -> list[Response]:
    statuses = json.loads((SAMPLES / "dnevnik_ru" / "lesson_log_statuses.json").read_text())
    assert statuses == ["Attend", "Absent", "Ill", "Late", "Pass"]
    return [
        Response(f"schools/{SCHOOL}", {"id": 1, "id_str": SCHOOL, "name": "Школа № 1", "fullName": "МБОУ СОШ № 1",
                                       "municipality": "Энск", "timeZone": 3}),
        Response(f"schools/{SCHOOL}/edu-groups", [
            {"id": 2, "id_str": CLASS, "parentIds": [], "type": "Group", "name": "5А", "parallel": 5, "studyyear": 2025},
            {"id": 3, "id_str": SUB, "parentIds_str": [CLASS], "type": "Subgroup", "name": "5А англ. 1",
             "parallel": None, "studyyear": 2025, "subjects": [{"id": 71, "id_str": "71"}]},
        ]),
        Response(f"edu-groups/{CLASS}/students", {"group": 2, "students": [
            {"person": {"id": BIG, "id_str": S1, "lastName": "Иванов", "firstName": "Пётр", "sex": "Male"},
             "membershipstatus": "Active"},
            {"person": {"id": BIG, "id_str": S2, "lastName": "Петрова", "firstName": "Анна", "sex": "Female"},
             "membershipstatus": "Archive"},
        ]}),
        Response(f"schools/{SCHOOL}/teachers", [{"Id": BIG, "IdStr": T1, "LastName": "Смирнова", "FirstName": "Ольга",
                                                 "MiddleName": "Ивановна", "Sex": "Female",
                                                 "NameTeacherPosition": "учитель"}]),
        Response(f"edu-groups/{CLASS}/subjects", [{"id": 70, "idStr": "70", "name": "Математика"},
                                                  {"id": 71, "idStr": "71", "name": "Английский язык"}]),
        Response(f"work-types/{SCHOOL}", [{"id": 10, "title": "Ответ на уроке", "abbr": "УО", "weight": 1},
                                          {"id": 11, "title": "Контрольная работа", "abbr": "КР", "weight": 2,
                                           "isImportant": True}]),
        Response(f"edu-groups/{CLASS}/reporting-periods", [
            {"id": 5, "id_str": "5", "start": "2025-09-01T00:00:00", "finish": "2025-12-26T00:00:00", "number": 1,
             "type": "Semester", "name": "1 семестр", "year": 2025}]),
        Response(f"edu-groups/{CLASS}/lessons/2025-09-01T00:00:00/2025-09-07T00:00:00", [
            {"id": BIG, "id_str": "601", "title": "Натуральные числа", "date": "2025-09-01T08:30:00", "number": 1,
             "subject": {"id": 70, "name": "Математика"}, "group": 2, "works": [801, 802], "teachers_str": [T1],
             "teachers": [BIG], "status": "Conducted"},
            {"id": BIG, "id_str": "602", "title": "", "date": "2025-09-02T09:30:00", "number": 2,
             "subjectId": 70, "group": 2, "works": [], "teachers_str": [T1], "status": "Cancelled"},
        ]),
        Response("works/many", [
            {"id": BIG, "id_str": "801", "type": "Homework", "workType": 10, "lesson_str": "601",
             "text": "№ 1–5 стр. 7", "targetDate": "2025-09-03T00:00:00", "sentDate": "2025-09-01T19:10:05.123",
             "createdBy": T1},
            {"id": BIG, "id_str": "802", "type": "LessonTestWork", "workType": 11, "lesson_str": "601", "createdBy": T1},
            {"id": BIG, "id_str": "803", "type": "PeriodMark", "periodNumber": 1, "periodType": "Semester"},
        ], method="POST"),
        Response(f"edu-groups/{CLASS}/marks/2025-09-01T00:00:00/2025-09-07T00:00:00", [
            {"id": BIG, "id_str": "901", "type": "mark5", "value": "4-", "person_str": S1, "work_str": "802",
             "lesson_str": "601", "number": 0, "date": "2025-09-03T21:15:00", "workType": 11, "mood": "Good",
             "use_avg_calc": True},
            {"id": BIG, "id_str": "902", "type": "mark5", "value": "5", "person_str": S1, "work_str": "802",
             "lesson_str": "601", "number": 1, "date": "2025-09-01T00:00:00", "mood": "Good", "use_avg_calc": False},
            {"id": BIG, "id_str": "903", "type": "mark5", "value": "4", "person_str": S1, "work_str": "803",
             "date": "2025-12-20T00:00:00"},
        ]),
        Response(f"lesson-log-entries/group/{CLASS}", [
            {"person_str": S1, "lesson_str": "601", "status": "Attend", "createdDate": "2025-09-01T08:34:00"},
            {"person_str": S2, "lesson_str": "601", "status": "Ill", "comment": "справка",
             "createdDate": "2025-09-01T08:35:10"},
        ], query={"from": "2025-09-01", "to": "2025-09-07"}),
        Response(f"edu-groups/{CLASS}/final-marks", [
            {"person_str": S1, "group_str": CLASS, "reportingPeriod_str": "5", "per-subject-final-marks": [
                {"subject_str": "70", "final-mark": {"id_str": "903", "value": "4", "date": "2025-12-20T00:00:00"}}]}]),
    ]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("dnevnik")
    write_recording(small_recording(), tmp / "rec" / FILE_NAME)
    result = import_extract(adapter("dnevnik_ru").read(tmp / "rec", ImportOptions()), tmp / "wh.duckdb")
    assert result.report.status == "loaded"
    assert result.extract.notes == ["1 запись учеников в архиве (выбыли) не включены в составы классов: "
                                    "API не сообщает дату выбытия"]
    return tmp / "wh.duckdb"


def test_ids_come_from_str_twins_prefixed_by_system(loaded: Path) -> None:
    assert query(loaded, "SELECT id, source_system FROM schools") == [(f"dnevnik_ru:{SCHOOL}", "dnevnik_ru")]
    assert query(loaded, "SELECT id FROM people ORDER BY id") == [
        (f"dnevnik_ru:person:{T1}",), (f"dnevnik_ru:person:{S1}",), (f"dnevnik_ru:person:{S2}",)]
    assert query(loaded, "SELECT student_id FROM memberships") == [(f"dnevnik_ru:person:{S1}",)]
    assert query(loaded, "SELECT id, kind, grade, parent_group_id, subject_id FROM groups ORDER BY id") == [
        (f"dnevnik_ru:{CLASS}", "class", 5, None, None),
        (f"dnevnik_ru:{SUB}", "subgroup", 5, f"dnevnik_ru:{CLASS}", "dnevnik_ru:subject:71")]


def test_lessons_status_topic_and_roll_time(loaded: Path) -> None:
    assert query(loaded, "SELECT source_id, lesson_date, status, topic, attendance_taken_at, actual_teacher_id "
                         "FROM lessons ORDER BY lesson_date") == [
        ("dnevnik_ru:lesson:601", dt.date(2025, 9, 1), "held", "Натуральные числа", dt.datetime(2025, 9, 1, 8, 34),
         f"dnevnik_ru:person:{T1}"),
        ("dnevnik_ru:lesson:602", dt.date(2025, 9, 2), "cancelled", None, None, f"dnevnik_ru:person:{T1}")]


def test_marks_weights_entry_time_precision_and_period_mark_routed_to_finals(loaded: Path) -> None:
    assert query(loaded, "SELECT source_id, value_raw, value_num, value_modifier, weight, counts_in_average, "
                         "entered_at, entered_at_precision, entered_at_source, entered_by FROM marks ORDER BY id") == [
        ("dnevnik_ru:mark:901", "4-", 4, "-", 2, True, dt.datetime(2025, 9, 3, 21, 15), "second",
         "dnevnik_ru:Mark.date", f"dnevnik_ru:person:{T1}"),
        ("dnevnik_ru:mark:902", "5", 5, None, 2, False, dt.datetime(2025, 9, 1), "date",
         "dnevnik_ru:Mark.date", f"dnevnik_ru:person:{T1}")]
    assert query(loaded, "SELECT period_id, kind, value_raw, entered_at_precision FROM final_marks") == [
        ("dnevnik_ru:5", "period", "4", "date")]
    assert query(loaded, "SELECT kind, grade_from, grade_to, start_date FROM periods") == [
        ("semester", 5, 5, dt.date(2025, 9, 1))]


def test_attendance_and_homework(loaded: Path) -> None:
    # Attend is presence: no row; Ill keeps its raw code and comment. S2 is archived: flagged, kept.
    assert query(loaded, "SELECT raw_code, status, comment, recorded_at, flag_student_not_in_group FROM attendance") == [
        ("Ill", "absent_illness", "справка", dt.datetime(2025, 9, 1, 8, 35, 10), True)]
    assert query(loaded, "SELECT text, due_date, entered_at, entered_by FROM homework") == [
        ("№ 1–5 стр. 7", dt.date(2025, 9, 3), dt.datetime(2025, 9, 1, 19, 10, 5), f"dnevnik_ru:person:{T1}")]


def test_broken_recording_line_is_named(tmp_path: Path) -> None:
    p = tmp_path / FILE_NAME
    p.write_text('{"path": "schools/1", "body": {}}\n{"path": oops}\n', encoding="utf-8")
    with pytest.raises(AdapterError, match=r"responses.jsonl, строка 2, позиция 10: это не JSON"):
        adapter("dnevnik_ru").read(p, ImportOptions())


MARKS_AT = "responses.jsonl, строка 10 (edu-groups/2000000000000000001/marks/2025-09-01T00:00:00/2025-09-07T00:00:00)"


def _marks_without(key: str, count: int = 1) -> list[Response]:
    rec = small_recording()
    marks = next(r for r in rec if "/marks/" in r.path)
    for m in marks.body[:count]:
        del m[key]  # a new API version names it otherwise
    return rec


@pytest.mark.parametrize(("damage", "message"), [
    # no mark says when it was set: the import's own time stood in for every entry (all "possibly late");
    # one mark without it is the API's own silence, bounded by pulls (tests/test_pull.py)
    (lambda: _marks_without("date", 3), (f"{MARKS_AT}: у отметки 901 нет date (когда выставлена), как и у всех 2 "
                                         "отметок записи; без неё своевременность не посчитать — запись другой версии "
                                         "API?")),
    # the mark went to «dnevnik_ru:person:None» and the loader set it aside: an import of no marks, exit 0
    (lambda: _marks_without("person_str"), f"{MARKS_AT}: у записи нет идентификатора person_str"),
    # a recording of a system Завуч does not read (ruobr) was answered «в записи нет ответа schools/{школа}»
    (lambda: [Response("user", {"status": "child", "school": "school", "id": 9999999})],
     "responses.jsonl: ни один ответ не из API dnevnik_ru (строка 1: user); это запись другой системы?"),
], ids=["Mark.date renamed", "person_str renamed", "unknown system"])
def test_a_damaged_recording_is_refused_naming_the_record(tmp_path: Path, damage, message: str) -> None:
    write_recording(damage(), tmp_path / FILE_NAME)
    with pytest.raises(AdapterError) as e:
        adapter("dnevnik_ru").read(tmp_path, ImportOptions())
    assert str(e.value) == message


def test_marks_of_another_scale_are_refused(tmp_path: Path) -> None:
    """Mark.type was not read: Kundelik.kz's ten-point «4» (mark10) loaded as a good five-point «4», «7» as
    a rejected row, and every figure of the school was computed on the wrong scale without a word."""
    rec = small_recording()
    marks = next(r for r in rec if "/marks/" in r.path)
    marks.body[0]["type"] = marks.body[1]["type"] = "mark10"
    write_recording(rec, tmp_path / FILE_NAME)
    with pytest.raises(AdapterError) as e:
        adapter("kundelik_kz").read(tmp_path, ImportOptions())
    assert str(e.value) == (f"{MARKS_AT}: отметка 901 — по шкале mark10, а Завуч ведёт отметки по пятибалльной шкале "
                            "mark5 (положение 2.11); в записи 2 такие отметки (шкалы «mark10»): загруженные, они "
                            "читались бы как пятибалльные («4» из 10 — хорошая «4»). Журнал с такой шкалой Завуч не "
                            "загружает (docs/adapters.md)")


def test_final_marks_of_another_scale_are_refused(tmp_path: Path) -> None:
    """A final mark is a Mark with its own type (data-formats §1.2): a ten-point period «8» was rejected, a «4»
    loaded as a good five-point period mark, though the marks' scale was checked."""
    rec = small_recording()
    finals = next(r for r in rec if r.path.endswith("final-marks"))
    finals.body[0]["per-subject-final-marks"][0]["final-mark"]["type"] = "mark10"
    write_recording(rec, tmp_path / FILE_NAME)
    with pytest.raises(AdapterError) as e:
        adapter("kundelik_kz").read(tmp_path, ImportOptions())
    assert str(e.value).startswith(f"responses.jsonl, строка 12 (edu-groups/{CLASS}/final-marks): итоговая отметка 903 "
                                   "— по шкале mark10, а Завуч ведёт отметки по пятибалльной шкале mark5 (положение "
                                   "2.11); в записи 1 такая отметка (шкалы «mark10»)")


def test_a_lesson_status_not_known_is_named(tmp_path: Path) -> None:
    """Lesson.status values are not public (data-formats §11.2); any value but a cancelled or planned one was
    read as held without a word, so lessons of an unknown status («NotConducted») counted as held."""
    rec = small_recording()
    lessons = next(r for r in rec if "/lessons/" in r.path)
    lessons.body[0]["status"] = "NotConducted"
    write_recording(rec, tmp_path / FILE_NAME)
    extract = adapter("dnevnik_ru").read(tmp_path, ImportOptions())
    assert extract.notes[1] == (
        "Уроков со статусом «NotConducted»: 1 (первый: responses.jsonl, строка 8 (edu-groups/"
        f"{CLASS}/lessons/2025-09-01T00:00:00/2025-09-07T00:00:00), запись 1). Такого статуса Завуч не знает "
        "(значения Lesson.status не описаны, data-formats §11.2): они загружены как проведённые; если это "
        "отменённые уроки, сообщите разработчикам.")


def _with_zone(zone: object) -> list[Response]:
    """The small recording of a school whose School.timeZone is `zone`, its first mark set at 06:15 UTC."""
    rec = small_recording()
    rec[0].body["timeZone"] = zone
    marks = next(r for r in rec if "/marks/" in r.path)
    marks.body[0]["date"] = "2025-09-03T06:15:00Z"
    return rec


@pytest.mark.parametrize(("given", "zone", "entered"), [
    (None, "Etc/GMT-5", dt.datetime(2025, 9, 3, 11, 15)),  # the source's own zone, UTC+5
    ("Asia/Yekaterinburg", "Asia/Yekaterinburg", dt.datetime(2025, 9, 3, 11, 15)),  # the same offset, named
])
def test_the_schools_own_time_zone_is_used(tmp_path: Path, given: str | None, zone: str, entered: dt.datetime) -> None:
    """School.timeZone (the UTC offset in hours, data-formats §1.2, §1.5) was ignored: a Yekaterinburg school
    imported without --timezone was stored as Moscow's and its offset times moved into Moscow time (09:15)."""
    write_recording(_with_zone(5), tmp_path / "rec" / FILE_NAME)
    extract = adapter("dnevnik_ru").read(tmp_path / "rec", ImportOptions(timezone=given))
    assert import_extract(extract, tmp_path / "wh.duckdb").report.status == "loaded"
    assert query(tmp_path / "wh.duckdb", "SELECT timezone FROM schools") == [(zone,)]
    assert query(tmp_path / "wh.duckdb", "SELECT entered_at FROM marks WHERE source_id = 'dnevnik_ru:mark:901'") == [
        (entered,)]


def test_a_time_zone_contradicting_the_schools_own_is_refused_in_words(tmp_path: Path) -> None:
    write_recording(_with_zone(5), tmp_path / FILE_NAME)
    with pytest.raises(AdapterError, match="часовой пояс школы в Kundelik.kz — UTC\\+5 .* взят пояс из Kundelik.kz"):
        adapter("kundelik_kz").read(tmp_path / FILE_NAME, ImportOptions(timezone="Asia/Tokyo"))
    with pytest.raises(AdapterError) as e:
        adapter("dnevnik_ru").read(tmp_path / FILE_NAME, ImportOptions(timezone="Europe/Moscow"))
    assert str(e.value) == (
        f"responses.jsonl, строка 1 (schools/{SCHOOL}): часовой пояс школы в Дневник.ру — UTC+5 (School.timeZone = 5), "
        "а указан Europe/Moscow — UTC+3 (--timezone или timezone в настройках выгрузки): время отметок и посещаемости "
        "сдвинулось бы на разницу. Уберите --timezone (будет взят пояс из Дневник.ру) или укажите пояс с тем же "
        "смещением")


@pytest.mark.parametrize("zone", [180, "Moscow"])
def test_a_school_time_zone_that_is_no_hour_offset_is_refused(tmp_path: Path, zone: object) -> None:
    """180 may be minutes, «Moscow» a name: neither is guessed."""
    write_recording(_with_zone(zone), tmp_path / FILE_NAME)
    with pytest.raises(AdapterError, match=rf"School.timeZone = «{zone}» — не смещение от UTC в целых часах"):
        adapter("dnevnik_ru").read(tmp_path / FILE_NAME, ImportOptions())


def test_unknown_attendance_status_is_refused(tmp_path: Path) -> None:
    rec = small_recording()
    rec[-2] = Response(f"lesson-log-entries/group/{CLASS}", [{"person_str": S1, "lesson_str": "601", "status": "Gone"}])
    write_recording(rec, tmp_path / FILE_NAME)
    with pytest.raises(AdapterError, match="неизвестный статус посещаемости «Gone»"):
        adapter("dnevnik_ru").read(tmp_path, ImportOptions())


# ---------------------------------------------------------------- round trip

# What Дневник.ру does not carry, so these cannot match: school holidays (mark_lag's school-day counts,
# illness_spikes), dates of joining or leaving a class (an archived pupil is no member at all, so
# attendance_summary, attendance_students, lesson/student_marks_density, too_few_marks,
# control_work_incomplete differ for the 12 pupils who changed class), mark comments
# (mark_on_absence_no_comment), homework duration (homework_load), the curriculum and КТП links
# (programme_delivery), planned vs actual teacher (substitutions, substitution_unrecorded), when a topic
# was written (topic_late), and who wrote a topic, took the roll or set a final mark: entries of a
# compromised account after the report are invalid (regulation 4.4), so its topics count as missing, its
# roll calls as not taken and its final marks as not set (topic_missing, attendance_unmarked,
# period_mark_missing, period_mark_mismatch, those rows of entry_after_compromise). The school's register
# of compromised accounts is entered into the import as a school would (tests/round_trip.py).
DNEVNIK_ROUND_TRIP = (
    "mark_lag", "mark_late", "mark_spree", "mark_entered_before_lesson", "attendance_late",
    "homework_missing", "homework_late", "homework_in_advance", "chronic_absentees", "na_risk",
    "topic_plan_mismatch", "mark_work_type_missing", "two_after_absence", "two_not_corrected", "two_in_a_row",
    "two_on_period_edge", "period_mark_late", "teacher_workload", "timeliness_summary", "entry_after_compromise",
)
DNEVNIK_ADJUST = {"mark_lag": lambda df: df.drop("school_days_min", "school_days_max"),
                  "timeliness_summary": lambda df: df.filter(pl.col("item").is_in(["marks", "homework"])),
                  "entry_after_compromise": lambda df: df.filter(pl.col("kind").is_in(["отметка", "домашнее задание"]))}


@pytest.mark.slow
def test_demo_school_through_dnevnik_gives_the_same_metrics(demo_school, tmp_path: Path) -> None:
    ids = export_dnevnik(demo_school.bundle, tmp_path / "dnevnik")
    assert import_with_incidents("dnevnik_ru", tmp_path / "dnevnik", demo_school.bundle, tmp_path / "dnevnik.duckdb",
                                 ids.back) == 1
    canonical = metrics(demo_school.db, DNEVNIK_ROUND_TRIP, adjust=DNEVNIK_ADJUST)
    imported = metrics(tmp_path / "dnevnik.duckdb", DNEVNIK_ROUND_TRIP, ids.back, DNEVNIK_ADJUST)
    assert differing(canonical, imported) == []
    # the comparison has teeth: planted violations, period edges and invalid marks are there on both sides;
    # every mark is either judged for its lag or invalid (entered by the compromised account after the report)
    assert canonical["mark_entered_before_lesson"].height == 2 and canonical["mark_spree"].height > 0
    assert canonical["two_on_period_edge"].height > 0
    invalid = canonical["entry_after_compromise"].filter(pl.col("kind") == "отметка").height
    assert invalid > 0
    assert canonical["mark_lag"].height + invalid == query(demo_school.db, "SELECT count(*) FROM marks")[0][0]


def test_a_rejected_row_names_its_place_in_the_recording_not_the_temporary_bundle(tmp_path: Path) -> None:
    """The import writes a bundle to a temporary folder: «marks.csv, строка 4» would point nowhere."""
    responses = small_recording()
    marks = next(r for r in responses if "/marks/" in r.path)
    marks.body.append({"id": BIG, "id_str": "904", "type": "mark5", "value": "7", "person_str": S1,
                       "work_str": "802", "lesson_str": "601", "date": "2025-09-04T10:00:00"})
    write_recording(responses, tmp_path / "rec" / FILE_NAME)
    db = tmp_path / "wh.duckdb"
    result = import_extract(adapter("dnevnik_ru").read(tmp_path / "rec", ImportOptions()), db)
    assert result.report.rows_rejected == 1
    line = responses.index(marks) + 1  # the recording holds one response per line
    place = f"{FILE_NAME}, строка {line} ({marks.path}), запись 4"
    assert query(db, "SELECT file_name, line, value, source_place FROM rejected_rows") == [("marks.csv", 4, "7", place)]
    with duckdb.connect(str(db), read_only=True) as con:
        shown = rejected_rows(con)
    assert shown.select("file_name", "line", "value").rows() == [(place, None, "7")]


def test_a_bundle_of_ones_own_keeps_its_file_and_line(tmp_path: Path) -> None:
    """`zavuch load` of a school's own bundle: the file and line are the school's, no place is invented."""
    responses = small_recording()
    next(r for r in responses if "/marks/" in r.path).body[0]["value"] = "7"
    extract = adapter("dnevnik_ru").read(write_recording(responses, tmp_path / "rec" / FILE_NAME).parent,
                                         ImportOptions())
    bundle = write_bundle(extract, tmp_path / "bundle")
    load_bundle(bundle, tmp_path / "wh.duckdb")
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        shown = rejected_rows(con)
    assert shown.select("file_name", "line", "value").rows() == [("marks.csv", 2, "7")]
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:  # as a warehouse loaded before source_place
        con.execute("ALTER TABLE rejected_rows DROP COLUMN source_place")
        assert rejected_rows(con).select("file_name", "line", "value").rows() == [("marks.csv", 2, "7")]
