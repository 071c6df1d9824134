"""ЭлЖур: `zavuch pull eljur` against a local apiv3 on 127.0.0.1 (tests/pull_server.py FakeEljur), the
mapping of getrules/getperiods/getdiary/getmarks, and entry times bounded by pulls (no times in ЭлЖур)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cli.main import app
from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from etl.adapters.pull import JOURNAL, PullError, run_pull
from etl.adapters.recording import Response, write_recording
from etl.loader import BundleRefused
from etl.warehouse import connect_readonly
from queries import Scope, run
from tests.adapter_fixtures import SAMPLES, query
from tests.eljur_export import export_eljur
from tests.pull_server import ELJUR_STUDENTS, SCHOOL_DAYS, FakeEljur
from tests.round_trip import differing, metrics, subset_school

# getrules + getperiods + 2 students × 3 weekly windows × (getdiary, getmarks)
REQUESTS = 2 + 2 * 3 * 2


def _setup(tmp: Path, monkeypatch: pytest.MonkeyPatch, token: str = "token-1") -> tuple[Path, Path]:
    monkeypatch.setenv("ZAVUCH_ELJUR_DEVKEY", "dev-key-1")
    token_file = tmp / "secret" / "eljur.token"
    token_file.parent.mkdir()
    token_file.write_text(token + "\n", encoding="utf-8")
    cfg = tmp / "pull.toml"
    cfg.write_text("\n".join([
        'system = "eljur"', 'base_url = "{url}"', 'school = "school5"', 'vendor = "school5"',
        'devkey_env = "ZAVUCH_ELJUR_DEVKEY"', "date_from = 2025-09-01", "date_to = 2025-09-19", "window_days = 7",
        'token_file = "secret/eljur.token"', 'state_dir = "state"', 'db = "wh.duckdb"', "requests_per_second = 200",
        "attempts = 3", "timeout_seconds = 0.5", "backoff_seconds = 0.01"]) + "\n", encoding="utf-8")
    return cfg, token_file


def _point(cfg: Path, server: FakeEljur) -> Path:
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("{url}", server.url), encoding="utf-8")
    return cfg


def _no_secret_anywhere(tmp: Path, *secrets: str) -> None:
    for p in (tmp / "state").rglob("*"):
        if p.is_file():
            data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            assert not any(s.encode() in data for s in secrets), p


def _september_lags(db: Path) -> pl.DataFrame:
    """mark_lag of September 2025 (the pulls' and recordings' school days), judged at the year's end."""
    con = connect_readonly(db)
    try:
        return run(con, "mark_lag", Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 30),
                                          as_of=dt.date(2025, 12, 31)))
    finally:
        con.close()


def test_shapes_sample_has_the_absence_inside_marks() -> None:
    text = (SAMPLES / "eljur" / "shapes.jsonc").read_text(encoding="utf-8")
    assert "absence entry lives in the marks list: н / Н / оп / ОП" in text


def test_pull_maps_journal_and_survives_500_timeout_and_token_refresh(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch)
    with FakeEljur(token_file) as server:
        server.faults = {r"getmarks$": ["500", "slow"]}
        server.expire_after = 6  # token-1 dies mid-run; a refresh job writes token-2
        result = run_pull(_point(cfg, server), sleep=lambda s: None)
    assert result.status == "loaded"
    assert result.requests == REQUESTS + 3  # one retry each after the 500, the timeout and the 401
    db = tmp_path / "wh.duckdb"
    # 15 marks (the «н» is not one), every one on its diary lesson, none with a source entry time
    assert query(db, "SELECT count(*), count(DISTINCT lesson_id), count(entered_at), min(lesson_date), max(lesson_date) "
                     "FROM marks") == [(15, 15, 0, SCHOOL_DAYS[0], SCHOOL_DAYS[-1])]
    assert query(db, "SELECT raw_code, status, lesson_date FROM attendance") == [("Н", "absent_unexcused", SCHOOL_DAYS[0])]
    assert query(db, "SELECT count(*), min(topic) FROM lessons") == [(15, "Тема 1")]
    assert query(db, "SELECT count(*) FROM homework") == [(15,)]
    assert query(db, "SELECT name, kind, start_date, end_date FROM periods") == [
        ("1 четверть", "quarter", dt.date(2025, 9, 1), dt.date(2025, 10, 24))]
    assert query(db, "SELECT count(*) FROM people WHERE role = 'teacher'") == [(1,)]
    # every request carried the key and the vendor; the recording and journal carry neither key nor token
    assert all(q.get("devkey") == ["dev-key-1"] for q in server.queries)
    _no_secret_anywhere(tmp_path, "token-1", "token-2", "dev-key-1")


def test_second_pull_bounds_entry_time_by_the_pull_interval(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch)
    with FakeEljur(token_file) as server:
        first = run_pull(_point(cfg, server), sleep=lambda s: None)
        server.data["marks"][ELJUR_STUDENTS[0]].append(
            {"value": "3", "count": True, "weight": 2, "date": SCHOOL_DAYS[2].isoformat(), "lesson_id": "L3",
             "mtype": {"id": 2, "type": "Контрольная работа", "short": "КР"}})
        time.sleep(1.1)  # batches are stamped to the second
        second = run_pull(cfg, sleep=lambda s: None)
    assert second.status == "loaded" and second.previous_pull_at == first.fetched_at
    db = tmp_path / "wh.duckdb"
    (mark_id, seen), = query(db, "SELECT source_id, first_seen_at FROM marks WHERE value_raw = '3'")
    assert seen == second.fetched_at
    lags = _september_lags(db)
    row = lags.filter(lags["mark_id"] == mark_id).row(0, named=True)
    assert row["lag_basis"] == "first_seen"
    assert (row["lag_days_min"], row["lag_days_max"]) == (
        (first.fetched_at.date() - SCHOOL_DAYS[2]).days, (second.fetched_at.date() - SCHOOL_DAYS[2]).days)
    entries = [json.loads(x) for x in (tmp_path / "state" / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert [e["status"] for e in entries] == ["loaded", "loaded"]


def test_expired_token_and_missing_devkey_fail_plainly(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch, token="token-0-expired")
    with FakeEljur(token_file) as server, pytest.raises(PullError, match="токен доступа недействителен или истёк"):
        run_pull(_point(cfg, server), sleep=lambda s: None)
    assert not (tmp_path / "wh.duckdb").exists()
    monkeypatch.delenv("ZAVUCH_ELJUR_DEVKEY")
    with pytest.raises(PullError, match="devkey_env"):
        run_pull(cfg, sleep=lambda s: None)
    _no_secret_anywhere(tmp_path, "token-0-expired")


def test_recorded_error_state_is_refused_on_import(tmp_path: Path) -> None:
    write_recording([Response("getrules", {"response": {"state": 403, "error": "Доступ запрещён", "result": None}})],
                    tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError, match=r"строка 1 \(getrules\): ЭлЖур вернул ошибку 403: Доступ запрещён"):
        adapter("eljur").read(tmp_path / "responses.jsonl", ImportOptions())



def test_subgroups_from_grp_and_periods_per_grade_band(tmp_path: Path) -> None:
    ok = lambda result: {"response": {"state": 200, "error": None, "result": result}}  # noqa: E731
    pupils = {"1": ("5А", 5), "2": ("5А", 5), "3": ("10А", 10)}

    def item(grp: str | None, teacher: str) -> dict:
        return {"num": "3", "name": "Английский язык", "lesson_id": f"E{grp}", "teacher": teacher, "topic": "Unit 1"} | (
            {"grp": grp} if grp else {})

    def period(name: str, start: str, end: str) -> dict:
        return {"name": name, "fullname": name, "start": start, "end": end}

    rec = [
        Response("getrules", ok({"relations": {
            "students": {k: {"name": k, "lastname": f"Ученик{k}", "firstname": "Имя", "class": c, "parallel": g}
                         for k, (c, g) in pupils.items()},
            "groups": {"5А": {"name": "5А", "parallel": 5}, "10А": {"name": "10А", "parallel": 10}},
            "schools": [{"number": "5", "title": "Школа № 5"}]}})),
        # the same dates are a semester for 5А and a half-year for 10А (data-formats §7.4)
        Response("getperiods", ok({"students": [
            {"name": "1", "periods": [period("1 семестр", "20250901", "20251226")]},
            {"name": "3", "periods": [period("1 полугодие", "20250901", "20251226")]}]})),
        # two halves of 5А have English at the same lesson number with different teachers
        Response("getdiary", ok({"students": {
            "1": {"days": {"20250902": {"items": {"3": item("5А Англ. 1 гр.", "Смирнова Ольга Ивановна")}}}},
            "2": {"days": {"20250902": {"items": {"3": item("5А Англ. 2 гр.", "Орлова Нина Петровна")}}}},
            "3": {"days": {"20250902": {"items": {"3": item(None, "Орлова Нина Петровна")}}}}}})),
        Response("getmarks", ok({"students": {"2": {"lessons": [{"name": "Английский язык", "marks": [
            {"value": "5", "date": "2025-09-02", "lesson_id": "E5А Англ. 2 гр.", "weight": 1, "count": True}]}]}}})),
    ]
    write_recording(rec, tmp_path / "responses.jsonl")
    db = tmp_path / "wh.duckdb"
    assert import_extract(adapter("eljur").read(tmp_path, ImportOptions()), db).report.status == "loaded"
    assert query(db, "SELECT g.name, g.kind, p.last_name, t.last_name FROM lessons l JOIN groups g ON g.id = l.group_id "
                     "JOIN memberships m ON m.group_id = g.id JOIN people p ON p.id = m.student_id "
                     "JOIN people t ON t.id = l.actual_teacher_id ORDER BY 1, 3") == [
        ("10А", "class", "Ученик3", "Орлова"), ("5А Англ. 1 гр.", "subgroup", "Ученик1", "Смирнова"),
        ("5А Англ. 2 гр.", "subgroup", "Ученик2", "Орлова")]
    # the mark is on its pupil's half's lesson
    assert query(db, "SELECT g.name FROM marks JOIN lessons l ON l.id = marks.lesson_id "
                     "JOIN groups g ON g.id = l.group_id") == [("5А Англ. 2 гр.",)]
    assert query(db, "SELECT name, kind, grade_from, grade_to FROM periods ORDER BY grade_from") == [
        ("1 семестр", "semester", 5, 5), ("1 полугодие", "half_year", 10, 10)]


def _one_pupil_recording(marks: list[dict]) -> list[Response]:
    ok = lambda result: {"response": {"state": 200, "error": None, "result": result}}  # noqa: E731
    return [
        Response("getrules", ok({"relations": {
            "students": {"1": {"name": "1", "lastname": "Ученик", "firstname": "Имя", "class": "5А", "parallel": 5}},
            "groups": {"5А": {"name": "5А", "parallel": 5}}, "schools": [{"number": "5", "title": "Школа № 5"}]}})),
        Response("getdiary", ok({"students": {"1": {"days": {"20250902": {"items": {"3": {
            "num": "3", "name": "Математика", "lesson_id": "L1", "teacher": "Смирнова Ольга Ивановна"}}}}}}})),
        Response("getmarks", ok({"students": {"1": {"lessons": [{"name": "Математика", "marks": marks}]}}})),
    ]


def test_the_same_marks_in_two_responses_are_loaded_once(tmp_path: Path) -> None:
    """ЭлЖур marks have no ids: a getmarks response recorded twice (or overlapping windows) doubled them."""
    marks = [{"value": "5", "date": "2025-09-02", "lesson_id": "L1", "weight": 1, "count": True},
             {"value": "5", "date": "2025-09-02", "lesson_id": "L1", "weight": 1, "count": True},
             {"value": "н", "date": "2025-09-02", "lesson_id": "L1"}]
    rec = _one_pupil_recording(marks)
    write_recording([*rec, rec[-1]], tmp_path / "responses.jsonl")
    db = tmp_path / "wh.duckdb"
    assert import_extract(adapter("eljur").read(tmp_path, ImportOptions()), db).report.status == "loaded"
    # two fives in one lesson are two marks; the repeated response adds none
    assert query(db, "SELECT count(*), list(value_raw) FROM marks") == [(2, ["5", "5"])]
    assert query(db, "SELECT raw_code FROM attendance") == [("Н",)]


def test_a_mark_without_value_is_refused(tmp_path: Path) -> None:
    """A renamed `value` loaded an empty mark that counted in the pupil's marks."""
    write_recording(_one_pupil_recording([{"mark": "4", "date": "2025-09-02", "lesson_id": "L1"}]),
                    tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError) as e:
        adapter("eljur").read(tmp_path, ImportOptions())
    assert str(e.value) == ("responses.jsonl, строка 3 (getmarks): у отметки ученика 1 по предмету «Математика» за "
                            "02.09.2025 нет value (поля: mark, date, lesson_id)")


@pytest.mark.parametrize(("where", "scale", "message"), [
    ("class", 10, "responses.jsonl, строка 1 (getrules): класс «5А» (balls = 10)"),
    ("mark", "10", "responses.jsonl, строка 3 (getmarks), ученик 1, «Математика», отметка за 2025-09-02 (max_mark = 10)"),
])
def test_marks_of_a_ten_point_class_are_refused(tmp_path: Path, where: str, scale: object, message: str) -> None:
    """getrules names a class's scale (`balls`, 5 in the sample shapes.jsonc) and a mark its `max_mark`
    (data-formats §4.2); neither was read, so a ten-point «4» loaded as a good five-point «4»."""
    rec = _one_pupil_recording([{"value": "4", "date": "2025-09-02", "lesson_id": "L1", "weight": 1, "count": True}
                                | ({"max_mark": scale} if where == "mark" else {})])
    if where == "class":
        rec[0].body["response"]["result"]["relations"]["groups"]["5А"]["balls"] = scale
    write_recording(rec, tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError) as e:
        adapter("eljur").read(tmp_path, ImportOptions())
    assert str(e.value).startswith(f"{message} — по шкале 10, а Завуч ведёт отметки по пятибалльной шкале 5 "
                                   "(положение 2.11); в записи 1 такая отметка (шкалы «10»)")


def test_the_five_point_scale_of_the_sample_loads(tmp_path: Path) -> None:
    rec = _one_pupil_recording([{"value": "4", "date": "2025-09-02", "lesson_id": "L1", "max_mark": None}])
    rec[0].body["response"]["result"]["relations"]["groups"]["5А"]["balls"] = 5  # as in shapes.jsonc
    write_recording(rec, tmp_path / "responses.jsonl")
    assert import_extract(adapter("eljur").read(tmp_path, ImportOptions()), tmp_path / "wh.duckdb").report.status == "loaded"
    assert query(tmp_path / "wh.duckdb", "SELECT value_raw, value_num FROM marks") == [("4", 4)]


def _recorded(marks: list[dict], date: str) -> list[Response]:
    """The one-pupil recording with every response's HTTP Date, as `zavuch pull` records it."""
    return [dataclasses.replace(r, date=date) for r in _one_pupil_recording(marks)]


def _local(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def test_an_imported_recording_is_loaded_as_of_when_it_was_recorded(tmp_path: Path) -> None:
    """ЭлЖур gives no entry times: a mark's lag is bounded by the batches (first_seen_at). An imported recording
    was stamped with the import's clock, so a mark of 2 September recorded on the 8th and imported months
    later was «possibly late» by months; the next recording's lower bound was the import, too. A recording
    that carries its responses' HTTP Date is now loaded as of then; an older one after a newer is refused."""
    five = {"value": "5", "date": "2025-09-02", "lesson_id": "L1", "weight": 1, "count": True}
    four = five | {"value": "4"}
    db = tmp_path / "wh.duckdb"
    for name, marks, date in (("first", [five], "Mon, 08 Sep 2025 07:00:00 GMT"),
                              ("second", [five, four], "Mon, 15 Sep 2025 07:30:00 GMT")):
        write_recording(_recorded(marks, date), tmp_path / name / "responses.jsonl")
        result = import_extract(adapter("eljur").read(tmp_path / name, ImportOptions()), db)
        assert result.report.status == "loaded"
    first, second = _local(dt.datetime(2025, 9, 8, 7, 0)), _local(dt.datetime(2025, 9, 15, 7, 30))
    assert result.extract.notes == [(f"Данные загружены как на {second:%d.%m.%Y %H:%M:%S} — когда сделана запись ответов "
                                     "(заголовок Date), а не когда запущена загрузка: от этого времени считаются границы "
                                     "задержки отметок без времени выставления.")]
    assert query(db, "SELECT started_at FROM import_batches ORDER BY batch_id") == [(first,), (second,)]
    assert query(db, "SELECT value_raw, first_seen_at FROM marks ORDER BY first_seen_at") == [("5", first), ("4", second)]
    lags = _september_lags(db)
    # the «4» appeared between the two recordings: 6 to 13 days after its lesson, whenever it was imported
    assert sorted(lags.select("value_raw", "lag_days_min", "lag_days_max").rows()) == [
        ("4", (first.date() - dt.date(2025, 9, 2)).days, (second.date() - dt.date(2025, 9, 2)).days),
        ("5", 0, (first.date() - dt.date(2025, 9, 2)).days)]
    write_recording(_recorded([five], "Tue, 09 Sep 2025 07:00:00 GMT"), tmp_path / "older" / "responses.jsonl")
    with pytest.raises(BundleRefused) as e:
        import_extract(adapter("eljur").read(tmp_path / "older", ImportOptions()), db)
    assert str(e.value) == (
        f"запись ответов сделана (заголовок Date) {_local(dt.datetime(2025, 9, 9, 7)):%d.%m.%Y %H:%M:%S}, не позже "
        f"последней загруженной партии ({second:%d.%m.%Y %H:%M:%S}): более старые данные поверх более новых вернули "
        "бы изменённые отметки и удалённые записи; загружайте записи в том порядке, в каком они сделаны")


def test_a_response_date_that_is_no_http_date_is_refused(tmp_path: Path) -> None:
    write_recording(_recorded([], "вчера"), tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError, match=r"responses.jsonl, строка 1 \(getrules\): «вчера» — не время ответа HTTP"):
        adapter("eljur").read(tmp_path, ImportOptions())


def test_a_pull_records_each_responses_http_date(tmp_path: Path, monkeypatch) -> None:
    """What the pull keeps of a run can be imported again as of the pull, not as of the import."""
    cfg, _ = _setup(tmp_path, monkeypatch)
    with FakeEljur(tmp_path / "secret" / "eljur.token") as server:
        result = run_pull(_point(cfg, server), sleep=lambda s: None)
    kept, = (tmp_path / "state" / "runs").rglob("responses.jsonl.gz")
    lines = [json.loads(x) for x in gzip.decompress(kept.read_bytes()).decode("utf-8").splitlines()]
    assert len(lines) == REQUESTS and all(x.get("date", "").endswith(" GMT") for x in lines)
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "responses.jsonl").write_bytes(gzip.decompress(kept.read_bytes()))
    extract = adapter("eljur").read(tmp_path / "again", ImportOptions())
    assert extract.recorded_at is not None and abs(extract.recorded_at - result.fetched_at) <= dt.timedelta(seconds=2)


# ---------------------------------------------------------------- round trip

# What ЭлЖур does not carry (docs/adapters.md, ЭлЖур, round trip; data-formats §4.2, §10.1): entry times of
# anything (mark_lag, mark_late, mark_spree, mark_entered_before_lesson, timeliness_summary, topic_late,
# attendance_late, attendance_unmarked, homework_late, homework_in_advance, control_work_incomplete), a
# homework's due date (homework_load), an absence's reason — every absence is «н» (the by-reason columns,
# illness_spikes), work-type flags (lesson_marks_density), who entered a mark (substitution_unrecorded,
# entry_after_compromise), planned vs actual teacher (substitutions), КТП and curriculum (topic_plan_mismatch,
# too_few_marks, programme_delivery's plan columns), and period marks (the adapter does not read final
# assessments: period_mark_missing, period_mark_late, period_mark_mismatch, results_summary, student_categories,
# summary_sheet's period mark).
ELJUR_ROUND_TRIP = (
    "homework_missing", "attendance_summary", "attendance_students", "chronic_absentees", "na_risk",
    "mark_on_absence_no_comment", "topic_missing", "mark_work_type_missing", "student_marks_density",
    "two_after_absence", "two_not_corrected", "two_in_a_row", "two_on_period_edge", "teacher_workload",
    "programme_delivery", "summary_sheet",
)
_REASONS = ("absent_illness", "absent_excused", "absent_unexcused")
ELJUR_ADJUST = {
    "attendance_summary": lambda df: df.drop(*_REASONS, "illness_share", "excused_share", "unexcused_share"),
    "attendance_students": lambda df: df.drop(*_REASONS, "full_days_illness", "full_days_excused", "full_days_unexcused"),
    "chronic_absentees": lambda df: df.drop(*_REASONS),
    "mark_on_absence_no_comment": lambda df: df.drop("attendance_code"),
    "teacher_workload": lambda df: df.drop("lessons_cancelled"),
    "programme_delivery": lambda df: df.select("group_id", "class_id", "subject_id", "teacher_id", "lessons_held"),
    "summary_sheet": lambda df: df.drop("period_mark"),
}


@pytest.mark.slow
def test_demo_classes_through_eljur_give_the_same_metrics(demo_school, tmp_path: Path) -> None:
    bundle, canonical_db = subset_school(demo_school.bundle, tmp_path / "canonical")
    ids = export_eljur(bundle, tmp_path / "eljur")
    db = tmp_path / "eljur.duckdb"
    res = CliRunner().invoke(app, ["import", "eljur", str(tmp_path / "eljur"), "--db", str(db)])  # as a school would
    assert res.exit_code == 0, res.output
    assert query(db, "SELECT count(*) FROM rejected_rows") == [(0,)]
    canonical = metrics(canonical_db, ELJUR_ROUND_TRIP, adjust=ELJUR_ADJUST)
    assert differing(canonical, metrics(db, ELJUR_ROUND_TRIP, ids.back, ELJUR_ADJUST)) == []
    # the comparison has teeth: every compared metric finds something in these classes, except that the
    # demo has no mark without a work type (so the import must not lose one)
    assert [name for name, df in canonical.items() if df.height == 0] == ["mark_work_type_missing"]
    # absences came through the marks list, never as marks
    assert query(db, "SELECT count(*) FROM marks WHERE lower(value_raw) IN ('н', 'оп')") == [(0,)]
    assert query(db, "SELECT raw_code, count(*) FROM attendance GROUP BY 1 ORDER BY 1") == query(
        canonical_db, "SELECT CASE raw_code WHEN 'О' THEN 'ОП' ELSE 'Н' END, count(*) FROM attendance GROUP BY 1 ORDER BY 1")
