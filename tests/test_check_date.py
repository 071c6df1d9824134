"""The check date (`Scope.as_of`) bounds the data: ЭЖ systems export the timetable ahead, so a journal
checked in the middle of a period holds future lessons with no topic, homework or roll call yet. They are
not checked and not counted anywhere — metrics, `zavuch metrics`, the deck, the справка, the ведомость
(docs/metrics.md «The check date»). School built in code (tests/metrics_fixtures.py: 5А = a1..a4 + mover
until 15 Oct)."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.norms import load_norms
from queries import deck
from reports import render_pdf, spravka, svodnaya
from tests.metrics_fixtures import AS_OF, D, T, school

NORMS = load_norms()
CHECK = D(2025, 10, 15)  # a Wednesday in the middle of semester p1 (1 Sep – 26 Dec 2025)


def _school(path: str = ":memory:"):
    """Two lessons up to the check day (one without a topic), and the timetable ahead: three lessons after
    it with nothing entered, one of them with a mark put in early."""
    s = school(path)
    done = s.lesson("5a", "math", D(2025, 10, 13))
    s.homework(done)
    s.mark(done, "a1", "5")
    s.mark(done, "a3", "4", entered_at=T(2025, 10, 20, 18, 0))  # after the check day: counted, as late
    no_topic = s.lesson("5a", "math", D(2025, 10, 14), topic=None)
    s.homework(no_topic)
    ahead = [s.lesson("5a", "math", D(2025, 10, day), topic=None, roll_at=None) for day in (16, 20, 21)]
    s.mark(ahead[0], "a2", "2", entered_at=T(2025, 10, 14, 9, 0))  # entered before its lesson
    s.period_mark("a1", "math", "5a", "4")  # set at the period's end, 25 Dec, on a «5» alone: «4» ≠ 5
    return s, done, no_topic, ahead


def _ids(df: pl.DataFrame) -> list[str]:
    return sorted(df["lesson_id"].to_list())


@pytest.mark.parametrize("dates", [{"period_id": "p1"}, {"date_from": D(2025, 9, 1), "date_to": D(2026, 1, 31)}])
def test_lessons_after_the_check_day_are_not_checked(dates):
    s, _, no_topic, ahead = _school()
    scope = queries.Scope(as_of=CHECK, **dates)

    def run(name: str) -> pl.DataFrame:
        return queries.run(s.con, name, scope, NORMS)

    assert _ids(run("topic_missing")) == [no_topic]
    assert run("attendance_unmarked").is_empty()
    assert run("homework_missing").is_empty()
    assert run("mark_entered_before_lesson").is_empty()
    assert run("teacher_workload").row(0, named=True)["lessons_held"] == 2
    # after the period every lesson is in the past: the same journal then shows all of them
    later = queries.Scope(as_of=AS_OF, **dates)
    assert _ids(queries.run(s.con, "topic_missing", later, NORMS)) == sorted([no_topic, *ahead])
    assert _ids(queries.run(s.con, "attendance_unmarked", later, NORMS)) == sorted(ahead)


def test_period_marks_are_judged_after_the_period_ends():
    """On 15 Oct the semester has not ended: a1's «4» of 25 Dec is neither compared with the marks so far
    nor late; after the semester it is compared with the weighted average of all its marks (5)."""
    s, *_ = _school()
    for name in ("period_mark_mismatch", "period_mark_late", "period_mark_missing"):
        assert queries.run(s.con, name, queries.Scope(period_id="p1", as_of=CHECK), NORMS).is_empty(), name
    after = queries.run(s.con, "period_mark_mismatch", queries.Scope(period_id="p1", as_of=AS_OF), NORMS)
    assert after.select("student_id", "period_mark", "expected_mark").rows() == [("a1", "4", 5)]


def test_too_few_marks_waits_for_the_period_end():
    """The minimum of marks is for the whole period: on 15 Oct nobody «has too few» yet; after the period
    the students with fewer than 7 marks in a 5-hour subject are listed."""
    s, *_ = _school()
    mid = queries.run(s.con, "too_few_marks", queries.Scope(period_id="p1", as_of=CHECK), NORMS)
    assert mid.is_empty()
    after = queries.run(s.con, "too_few_marks", queries.Scope(period_id="p1", as_of=AS_OF), NORMS)
    assert sorted(after["student_id"].to_list()) == ["a1", "a2", "a3", "a4"]


def test_check_day_before_the_period_is_refused():
    s, *_ = _school()
    with pytest.raises(queries.ScopeError, match="дата проверки 31.08.2025 раньше начала проверяемого периода"):
        queries.run(s.con, "topic_missing", queries.Scope(period_id="p1", as_of=D(2025, 8, 31)), NORMS)


def test_deck_counts_lessons_up_to_the_check_day():
    s, *_ = _school()
    counted = deck.scope_lessons(s.con, queries.Scope(period_id="p1", as_of=CHECK), NORMS)
    assert (counted.lessons, counted.held) == (2, 2)


def test_vedomost_counts_marks_up_to_its_date():
    """The mark put in early on a lesson of 16 Oct is not among a2's marks in a ведомость dated 15 Oct."""
    s, *_ = _school()
    mid = queries.run(s.con, "summary_sheet", queries.Scope(period_id="p1", group_id="5a", as_of=CHECK), NORMS)
    marks = dict(zip(mid["student_id"], mid["counted_marks"], strict=True))
    assert (marks["a1"], marks["a2"]) == (1, 0)
    later = queries.run(s.con, "summary_sheet", queries.Scope(period_id="p1", group_id="5a", as_of=AS_OF), NORMS)
    assert dict(zip(later["student_id"], later["counted_marks"], strict=True))["a2"] == 1


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_spravka_dated_mid_period_checks_up_to_its_date():
    s, *_ = _school()
    doc = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=CHECK, norms=NORMS))
    text = _text(render_pdf(doc.document))
    assert "Проверено 2 проведённых урока" in text
    assert "Сроки проверки: данные журнала с 01.09.2025 по 15.10.2025 (проверяемый период — по 26.12.2025)" in text
    assert "Не записана тема урока: 1 урок" in text
    assert "Не отмечена посещаемость: не выявлено" in text
    assert ("проверка проведена 15.10.2025. После даты проверки в журнал внесено к проверенным урокам и периодам: "
            "отметок — 1; справка учитывает эти записи с датами их внесения") in text
    assert "Отметки выставлены позже срока: 1 отметка" in text
    # what is judged at the period's end is said not checked yet, not «не выявлено»
    for label in ("мало отметок для аттестации",
                  ("отметка за период не соответствует средневзвешенному баллу; после отметки за период отметки "
                   "внесены, изменены или удалены так, что средневзвешенный округляется иначе"),
                  "нет отметки за период; отметка за период выставлена поздно"):
        assert f"Не проверялось ({label}): период заканчивается 26.12.2025, не раньше даты проверки." in text
    for judged in ("Мало отметок для аттестации:", "Нет отметки за период:", "Отметка за период не соответствует",
                   "Отметка за период сверена", "Отметок за период"):
        assert judged not in text
    after = _text(render_pdf(spravka.build(s.con, queries.Scope(period_id="p1"),
                                           spravka.SpravkaOptions(date=AS_OF, norms=NORMS)).document))
    assert "Не проверялось (" not in after and "Нет отметки за период: 3 ученика" in after
    assert "Отметка за период не соответствует средневзвешенному баллу: 1 отметка" in after
    assert "После даты проверки" not in after


def test_metrics_command_with_dates_past_the_check_day(tmp_path):
    """`zavuch metrics --from/--to` reaching past the check day (the default: today) counts nothing after it."""
    db = tmp_path / "w.duckdb"
    s, _, no_topic, _ = _school(str(db))
    s.con.close()
    out = CliRunner().invoke(app, ["metrics", "topic_missing", "--from", "2025-09-01", "--to", "2026-01-31",
                                   "--as-of", "2025-10-15", "--db", str(db), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert [r["lesson_id"] for r in json.loads(out.output)["rows"]] == [no_topic]


def test_spravka_says_which_state_of_the_journal_it_reads():
    """The warehouse holds the journal as last loaded, not as it stood on the check day. A справка dated back
    says from which load it is, and counts the marks of checked lessons that were in the journal on the check
    day and deleted since (absent from every figure now) and those changed since (read with the new value);
    what was deleted before the check day, or entered after it and deleted, is not among them."""
    s, done, no_topic, _ = _school()
    s.mark(done, "a2", "3", entered_at=T(2025, 10, 13, 17, 0), deleted_at=T(2025, 11, 2, 9, 0))  # gone since
    s.mark(done, "a4", "2", entered_at=T(2025, 10, 13, 17, 0), deleted_at=T(2025, 10, 14, 9, 0))  # gone before
    s.mark(no_topic, "a4", "4", entered_at=T(2025, 10, 20, 9, 0), deleted_at=T(2025, 10, 21, 9, 0))  # after both
    changed = s.mark(no_topic, "a1", "5", entered_at=T(2025, 10, 14, 16, 0))
    for mark, at in ((changed, T(2025, 11, 1, 10, 0)), (changed, T(2025, 10, 14, 18, 0))):
        s.insert("mark_events", mark_id=mark, batch_id=1, event="changed", event_at=at, event_at_source="source",
                 old_value_raw="4", new_value_raw="5")
    # the deleted marks are in no figure: a2 has no counted mark up to the check day, a4 none at all
    sheet = queries.run(s.con, "summary_sheet", queries.Scope(period_id="p1", group_id="5a", as_of=CHECK), NORMS)
    assert dict(zip(sheet["student_id"], sheet["counted_marks"], strict=True)) == {"a1": 2, "a2": 0, "a3": 1, "a4": 0,
                                                                                "mover": 0}
    text = _text(render_pdf(spravka.build(s.con, queries.Scope(period_id="p1"),
                                          spravka.SpravkaOptions(date=CHECK, norms=NORMS)).document))
    assert ("Справка составлена по данным журнала, загруженным в программу «Завуч» 10.01.2026 в 12:00; записи, "
            "внесённые в журнал позже, в ней не учтены.") in text
    assert ("После даты проверки в журнале к проверенным урокам удалено отметок — 1 (на дату проверки они в журнале "
            "были, справка их не учитывает); изменено отметок — 1 (справка учитывает новые значения).") in text
    assert "Загрузка сделана раньше" not in text
    # a load made before the end of the checked days: the lessons from its day on may lack what came after it
    s.con.execute("UPDATE lessons SET last_seen_at = ?", [T(2025, 10, 14, 20, 0)])
    stale = _text(render_pdf(spravka.build(s.con, queries.Scope(period_id="p1"),
                                           spravka.SpravkaOptions(date=CHECK, norms=NORMS)).document))
    assert ("загруженным в программу «Завуч» 14.10.2025 в 20:00; записи, внесённые в журнал позже, в ней не учтены. "
            "Загрузка сделана раньше конца проверенных дат (по 15.10.2025): записи к урокам с 14.10.2025, внесённые "
            "после неё, справка не видит.") in stale


def test_vedomost_states_its_date_and_the_load_it_reads():
    """A signed and filed ведомость said neither its date (after the period) nor which load of the journal it
    shows, so a sheet printed again after the period marks were corrected in the ЭЖ could not be told from the
    one signed. Each class's sheet now says both."""
    s, *_ = _school()
    text = _text(render_pdf(svodnaya.build(s.con, "s1", period_id="p1", date=AS_OF)))
    assert ("Ведомость от 01.02.2026 по данным электронного журнала, загруженным в программу «Завуч» 10.01.2026 "
            "в 12:00.") in text
    s.con.execute("UPDATE lessons SET last_seen_at = ?", [T(2026, 1, 30, 7, 5)])
    later = _text(render_pdf(svodnaya.build(s.con, "s1", period_id="p1", date=AS_OF)))
    assert "загруженным в программу «Завуч» 30.01.2026 в 07:05." in later
