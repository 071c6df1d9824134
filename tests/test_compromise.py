"""Regulation 4.4: every journal entry an account made at or after the reported compromise of its credentials
is invalid. A school built in code (tests/metrics_fixtures.py) where t_math's credentials are reported
compromised on 1 Oct 2025 at 12:00:30: its marks, topic, roll call, absences, homework and period mark from
then on count in no metric, are listed by entry_after_compromise, and are flagged on the deck's pages and
in the documents. Every expected figure is computed by hand from the rows below."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import docx
import polars as pl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import queries
from etl.norms import load_norms
from reports import prikaz, render_docx, render_pdf, spravka, svodnaya
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import AS_OF, D, T, School, school

REPORTED = T(2025, 10, 1, 12, 0, 30)
SCOPE = queries.Scope(period_id="p1", as_of=AS_OF)
NORMS = load_norms()


def _build(path: str = ":memory:") -> tuple[School, dict[str, str]]:
    s = school(path)
    s.insert("account_incidents", person_id="t_math", reported_at=REPORTED, description="пароль стал известен")
    ids: dict[str, str] = {}
    # Three math lessons of 5А; each lesson's topic and roll are entered by t_math at 15:00 on its day, so
    # those of L3 (1 Oct, after the report) are invalid: L3 has no topic and no roll call.
    ids["L1"] = s.lesson("5a", "math", D(2025, 9, 15))
    ids["L2"] = s.lesson("5a", "math", D(2025, 9, 22))
    ids["L3"] = s.lesson("5a", "math", D(2025, 10, 1))
    # a1: «5» and «3» before the report (weight 1 each), «2» after it: weighted average 4.00 of 2 marks.
    s.mark(ids["L1"], "a1", "5")
    s.mark(ids["L2"], "a1", "3")
    ids["a1_L3"] = s.mark(ids["L3"], "a1", "2", entered_at=T(2025, 10, 1, 13, 0))
    # On the report's day: a «4» at 11:00 (valid), a «3» at 12:00:10 (valid: before 12:00:30), a mark known
    # only to the minute 12:00 (invalid: it may be after 12:00:30), one known only to the day (invalid).
    s.mark(ids["L3"], "a2", "4", entered_at=T(2025, 10, 1, 11, 0))
    s.mark(ids["L2"], "a3", "3", entered_at=T(2025, 10, 1, 12, 0, 10))
    ids["mover_L3"] = s.mark(ids["L3"], "mover", "3", entered_at=T(2025, 10, 1, 12, 0))
    ids["a4_L3"] = s.mark(ids["L3"], "a4", "5", entered_at=T(2025, 10, 1))
    for mark, precision in ((ids["mover_L3"], "minute"), (ids["a4_L3"], "date")):
        s.con.execute("UPDATE marks SET entered_at_precision = ? WHERE id = ?", [precision, mark])
    # Absences: a4 on L2 (recorded before, valid), a3 on L3 (recorded after: a3 counts as present on L3).
    for lesson, student, at in (("L2", "a4", T(2025, 9, 22, 15, 0)), ("L3", "a3", T(2025, 10, 1, 15, 0))):
        ids[f"abs_{student}"] = s.insert(
            "attendance", school_id="s1", student_id=student, lesson_id=ids[lesson], group_id="5a", subject_id="math",
            lesson_date=s._lesson_ctx(ids[lesson])[3], status="absent_unexcused", raw_code="Н", recorded_by="t_math",
            recorded_at=at, recorded_at_precision="second")
    # Homework on L2 (before) and L3 (after: L3 has no homework); L1 has none.
    for lesson, at in (("L2", T(2025, 9, 22, 17, 0)), ("L3", T(2025, 10, 1, 17, 0))):
        ids[f"hw_{lesson}"] = s.insert(
            "homework", school_id="s1", lesson_id=ids[lesson], group_id="5a", subject_id="math",
            lesson_date=s._lesson_ctx(ids[lesson])[3], text=f"§ 3, упр. {lesson}", entered_by="t_math",
            entered_at=at, entered_at_precision="second")
    # Period marks: a1's by t_math after the report (invalid: a1 has none), a2's by the deputy (valid «4» =
    # its average 4.00).
    for student, value, by in (("a1", "5", "t_math"), ("a2", "4", "dep")):
        ids[f"pm_{student}"] = s.insert(
            "final_marks", school_id="s1", student_id=student, subject_id="math", group_id="5a", period_id="p1",
            kind="period", value_raw=value, value_num=float(value), value_kind="grade", entered_by=by,
            entered_at=T(2025, 12, 25, 10, 0), entered_at_precision="second")
    return s, ids


@pytest.fixture(scope="module")
def built() -> tuple[School, dict[str, str]]:
    return _build()


def _run(s: School, name: str) -> pl.DataFrame:
    return queries.run(s.con, name, SCOPE, NORMS)


def test_listing_covers_every_kind_in_order(built):
    s, ids = built
    df = _run(s, "entry_after_compromise")
    assert df.select("kind", "entry_id", "mark_id", "student_id", "lesson_id").rows() == [
        ("домашнее задание", ids["hw_L3"], None, None, ids["L3"]),
        ("отметка", ids["a1_L3"], ids["a1_L3"], "a1", ids["L3"]),
        ("отметка", ids["a4_L3"], ids["a4_L3"], "a4", ids["L3"]),
        ("отметка", ids["mover_L3"], ids["mover_L3"], "mover", ids["L3"]),
        ("посещаемость", ids["L3"], None, None, ids["L3"]),  # the roll call
        ("посещаемость", ids["abs_a3"], None, "a3", ids["L3"]),
        ("тема", ids["L3"], None, None, ids["L3"]),
        ("итоговая отметка", ids["pm_a1"], None, "a1", None),
    ]
    assert set(df["teacher_id"]) == {"t_math"} and set(df["reported_at"]) == {REPORTED}
    assert df.filter(pl.col("kind") == "итоговая отметка").select("period_id", "event_date").row(0) == (
        "p1", D(2025, 12, 26))
    assert df.filter(pl.col("entry_id") == ids["a4_L3"])["entered_at_precision"].item() == "date"


def test_summary_counts_the_listing(built):
    s, _ = built
    found = queries.invalid_entries_summary(s.con, SCOPE, NORMS)
    assert (found.total, found.accounts, found.classes) == (8, ("t_math",), ("5a",))
    assert found.by_kind == {"отметка": 3, "тема": 1, "посещаемость": 2, "домашнее задание": 1,
                             "итоговая отметка": 1}
    before = queries.invalid_entries_summary(s.con, queries.Scope(date_from=D(2025, 9, 1), date_to=D(2025, 9, 30)))
    assert not before and before.total == 0


def test_invalid_marks_count_in_no_average(built):
    s, _ = built
    sheet = _run(s, "summary_sheet").filter(pl.col("subject_id") == "math")
    a1 = sheet.filter(pl.col("student_id") == "a1").row(0, named=True)
    assert (a1["counted_marks"], a1["weighted_avg"], a1["period_mark"]) == (2, 4.0, None)
    a2 = sheet.filter(pl.col("student_id") == "a2").row(0, named=True)
    assert (a2["counted_marks"], a2["weighted_avg"], a2["period_mark"]) == (1, 4.0, "4")
    # a3's «3» at 12:00:10 came before the report: it counts
    assert sheet.filter(pl.col("student_id") == "a3")["counted_marks"].item() == 1


def test_lesson_after_the_report_has_no_topic_roll_or_homework(built):
    s, ids = built
    assert _run(s, "topic_missing")["lesson_id"].to_list() == [ids["L3"]]
    assert _run(s, "attendance_unmarked")["lesson_id"].to_list() == [ids["L3"]]
    assert _run(s, "homework_missing")["lesson_id"].to_list() == [ids["L1"], ids["L3"]]


def test_invalid_absence_and_marks_leave_the_lesson_density(built):
    s, ids = built
    l3 = _run(s, "lesson_marks_density").filter(pl.col("lesson_id") == ids["L3"]).row(0, named=True)
    # members a1 a2 a3 a4 mover, all present (a3's absence is invalid); only a2's mark is valid
    assert (l3["students_present"], l3["students_marked"]) == (5, 1)
    l2 = _run(s, "lesson_marks_density").filter(pl.col("lesson_id") == ids["L2"]).row(0, named=True)
    assert (l2["students_present"], l2["students_marked"]) == (4, 2)  # a4 absent (valid); a1 and a3 marked


def test_period_mark_by_the_compromised_account_is_no_period_mark(built):
    s, _ = built
    missing = _run(s, "period_mark_missing").filter(pl.col("subject_id") == "math")
    assert sorted(missing["student_id"]) == ["a1", "a3", "a4"]
    assert _run(s, "period_mark_mismatch").is_empty()


def test_scorecard_counts_every_invalid_entry(built):
    s, _ = built
    card = queries.teacher_scorecard(s.con, SCOPE, NORMS).filter(pl.col("teacher_id") == "t_math").row(0, named=True)
    assert (card["entry_after_compromise"], card["marks"], card["lessons_with_homework"]) == (8, 4, 1)


def test_without_a_report_every_entry_counts():
    s, ids = _build()
    s.con.execute("DELETE FROM account_incidents")
    assert _run(s, "entry_after_compromise").is_empty()
    a1 = _run(s, "summary_sheet").filter(pl.col("student_id") == "a1").row(0, named=True)
    assert (a1["counted_marks"], a1["weighted_avg"], a1["period_mark"]) == (3, 3.33, "5")
    assert _run(s, "topic_missing").is_empty() and _run(s, "homework_missing")["lesson_id"].to_list() == [ids["L1"]]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_spravka_pdf_and_docx_list_them_and_say_the_figures_exclude_them(built):
    s, ids = built
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=NORMS))
    pdf = _norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(sp.document))).pages))
    d = docx.Document(io.BytesIO(render_docx(sp.document)))
    docx_text = _norm(" ".join(p.text for p in d.paragraphs))
    rows = [[_norm(c.text) for c in row.cells] for t in d.tables for row in t.rows]
    for text in (pdf, docx_text):
        assert "Записей журнала, внесённых после сообщения о компрометации учётной записи: 8." in text
        assert "все показатели справки рассчитаны без них (перечень — в разделе 9)" in text
        assert "9. Недействительные записи (п. 4.3–4.4)" in text
        assert ("Таких записей в проверяемом периоде 8 (отметка — 3; тема — 1; посещаемость — 2; "
                "домашнее задание — 1; итоговая отметка — 1)") in text
    listed = [r for r in rows if len(r) == 8 and r[0] == "Иванова И."]
    # by entry time: a4's (the day only: 00:00), mover's (12:00), a1's (13:00), roll call, a3's absence and topic
    # (15:00), homework (17:00), a1's period mark (25 Dec)
    assert [r[1] for r in listed] == ["отметка", "отметка", "отметка", "посещаемость", "посещаемость", "тема",
                                      "домашнее задание", "итоговая отметка"]
    assert ["Иванова И.", "отметка", "5А", "Математика", "Алексеев И.", "01.10.2025", "2", "01.10.2025 13:00"] in listed
    assert any(r[1] == "домашнее задание" and r[6] == "§ 3, упр. L3" for r in listed)
    order = _norm(" ".join(p.text for p in docx.Document(io.BytesIO(render_docx(prikaz.build(sp)))).paragraphs))
    assert "Признать недействительными (п. 4.4 регламента) записи электронного журнала" in order


def test_invalid_entries_are_voided_not_charged_to_the_account_owner(built):
    """Regulation 4.4 makes entries after a reported compromise invalid; they are not a breach of the owner,
    whose credentials were stolen. The приказ listed «записи после сообщения о компрометации — 8» among
    Иванова's breaches and called one account «учётными записями»."""
    s, _ = built
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=NORMS))
    assert sp.violators == ("t_math",)  # for the lessons left without a valid topic, roll call, homework
    assert spravka.personal_breaches(sp.findings, "t_math", NORMS) == (
        "не записана тема урока — 1; не записано домашнее задание — 2; не отмечена посещаемость — 1; "
        "отметки выставлены позже срока — 1; мало отметок для аттестации — 4; нет отметки за период — 3")
    d = docx.Document(io.BytesIO(render_docx(prikaz.build(sp))))
    order = _norm(" ".join(p.text for p in d.paragraphs))
    assert ("3. Признать недействительными (п. 4.4 регламента) записи электронного журнала, внесённые учётной "
            "записью (Иванова И.) после сообщения о её компрометации: 8") in order
    cells = [_norm(c.text) for t in d.tables for row in t.rows for c in row.cells]
    assert not any("компрометации" in c for c in cells)
    assert ["1", "Иванова И.", "", ""] in [[_norm(c.text) for c in row.cells] for row in d.tables[-1].rows]


def test_svodnaya_notes_them_on_the_class_page(built):
    s, _ = built
    doc = svodnaya.build(s.con, "s1", period_id="p1", date=AS_OF)
    text = _norm(" ".join(p.text for p in docx.Document(io.BytesIO(render_docx(doc))).paragraphs))
    assert "Не учтены записи, внесённые после сообщения о компрометации учётной записи (Иванова И.)" in text
    assert "всего в ведомостях — 8" in text


@pytest.mark.slow
def test_deck_pages_warn_and_list_them(tmp_path):
    db = tmp_path / "wh.duckdb"
    s, _ = _build(str(db))
    s.con.close()
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in {"school": "s1", "year": "y25", "period": "p1"}.items():
        at.query_params[k] = v
    at.run()
    for page in ("overview", "results", "teachers"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        warning = next(w.value for w in at.warning if "компрометации" in w.value)
        assert "В выбранном срезе 8 записей внесено после сообщения о компрометации учётной записи" in warning
        assert "отметка — 3; тема — 1; посещаемость — 2; домашнее задание — 1; итоговая отметка — 1" in warning
        assert "показатели на этой странице их не учитывают" in warning
        assert [e.label for e in at.expander if "4.4" in e.label] == ["Недействительные записи (п. 4.4): 8"]
        listed = next(d.value for d in at.dataframe if "Запись (код)" in d.value)
        assert len(listed) == 8 and listed["Вид"].tolist()[-1] == "итоговая отметка"
    # a scope without invalid entries: no warning
    at.selectbox(key="f_period").set_value("dates").run()
    at.date_input(key="f_from").set_value(dt.date(2025, 9, 1)).run()
    at.date_input(key="f_to").set_value(dt.date(2025, 9, 30)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [w for w in at.warning if "компрометации" in w.value]
