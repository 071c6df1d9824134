"""The documents read as a deputy signing them, a parent and an inspector would read them (schools built in
code, tests/metrics_fixtures.py; the demo school for the layout of the сводные ведомости):

- invalid entries are invalid under п. 4.4 of the *регламент* ведения ЭЖ, not of a «положение» (the
  school's «Положение о текущем контроле» is another act); the forecast letter cites the регламент of the
  electronic diary (annex 3), not a «положение о ведении электронного журнала»;
- a check of one teacher says so (object, kind of control), and a list of one teacher is singular;
- a справка of nothing (no held lesson in the scope, or a check dated before its period) is refused in words;
- a сводная ведомость or a printout is for a whole class, not a subgroup;
- each class's сводная ведомость is one page with both signatures and the seal mark.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from reports import forecast_letter, prikaz, render_docx, render_pdf, spravka, svodnaya, weekly
from tests.metrics_fixtures import AS_OF, D, T, school

NORMS = load_norms()


def _paragraphs(document) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs]


def _spravka(s, **scope) -> spravka.Spravka:
    return spravka.build(s.con, queries.Scope(period_id="p1", **scope),
                         spravka.SpravkaOptions(date=AS_OF, norms=NORMS))


def test_invalid_entries_cite_the_regulation_not_a_polozhenie() -> None:
    s = school()
    s.insert("account_incidents", person_id="t_math", reported_at=T(2025, 10, 1, 12, 0), description="пароль")
    lesson = s.lesson("5a", "math", D(2025, 10, 2))  # topic, roll and the mark entered after the report
    s.mark(lesson, "a1", "5")
    s.period_mark("a2", "math", "5a", "4")
    s.con.execute("UPDATE final_marks SET entered_by = 't_math', entered_at_precision = 'second'")
    sp = _spravka(s)
    texts = {"справка": " ".join(_paragraphs(sp.document)),
             "приказ": " ".join(_paragraphs(prikaz.build(sp))),
             "ведомость": " ".join(_paragraphs(svodnaya.build(s.con, "s1", period_id="p1", date=AS_OF))),
             "распечатка": " ".join(_paragraphs(weekly.build(s.con, "s1", "5a", D(2025, 9, 29))))}
    for what, text in texts.items():
        assert "п. 4.4 регламента" in text, what
        assert "положени" not in text, what
    assert "По п. 4.4 регламента операции, произведённые учётной записью" in texts["справка"]
    assert "Признать недействительными (п. 4.4 регламента) записи электронного журнала" in texts["приказ"]


def test_a_check_of_one_teacher_names_the_teacher_and_is_personal() -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    s.lesson("5a", "pe", D(2025, 9, 17), teacher="t_sub")
    s.lesson("5b", "math", D(2025, 9, 16))
    s.lesson("5b", "math", D(2025, 9, 18), status="cancelled")
    text = _paragraphs(_spravka(s, teacher_id="t_math").document)
    assert "Вид контроля: персональный (ведение электронного журнала учителем)." in text
    # the classes the teacher taught, not the period's band «2–9 классов» (most of which they never teach)
    assert "Объект: Электронный журнал 5А, 5Б классов; проверяемый учитель — Иванова И." in text
    assert "Объект: Электронный журнал 5А класса; проверяемый учитель — Сидорова И." in _paragraphs(
        _spravka(s, teacher_id="t_sub").document)
    whole = _paragraphs(_spravka(s).document)
    assert "Вид контроля: тематический (ведение электронного журнала)." in whole
    assert "Объект: Электронный журнал 2–9 классов: учителя-предметники и классные руководители." in whole


def test_one_teacher_is_singular_and_two_are_plural_in_the_prikaz() -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    one = _paragraphs(prikaz.build(_spravka(s)))
    assert ("1. Указать учителю на нарушения регламента ведения электронного журнала (справка, раздел «В ходе "
            "проверки установлено»):") in one
    assert "2. Обязать учителя, указанного в п. 1, устранить выявленные нарушения до 15.02.2026." in one
    s.lesson("5a", "lit", D(2025, 9, 16), teacher="t_eng", topic=None)
    sp = _spravka(s)
    two = _paragraphs(prikaz.build(sp))
    assert "2. Обязать учителей, указанных в п. 1, устранить выявленные нарушения до 15.02.2026." in two
    assert "Не записана тема урока: 2 урока; учителя: Иванова И. (1), Петров И. (1)." in _paragraphs(sp.document)
    assert ("Электронный журнал ведётся с нарушениями регламента. Нарушения допущены учителями: Иванова И., "
            "Петров И.") in _paragraphs(sp.document)


def test_a_spravka_for_dates_alone_is_the_only_schools() -> None:
    """The Python API (docs/documents.md: «any Scope: period or dates») failed with an IndexError in the
    school's name for a Scope of dates without a school."""
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    sp = spravka.build(s.con, queries.Scope(date_from=D(2025, 9, 1), date_to=D(2025, 9, 30)),
                       spravka.SpravkaOptions(date=D(2025, 10, 1), norms=NORMS))
    text = _paragraphs(sp.document)
    assert text[0] == "Гимназия «Исток»"
    assert "по итогам проверки ведения электронного журнала за период с 01.09.2025 по 30.09.2025" in text
    assert "Не записана тема урока: 1 урок; учитель: Иванова И. (1)." in text


def test_finding_sentences_read_as_russian() -> None:
    """«У ученика отметки меньше чем на норме уроков: 1 ученик» and «Пропущено не меньше нормы уроков: риск
    «н/а»: 1 ученик» (two colons) were the sentences of two measured risks."""
    s = school()
    lessons = [s.lesson("5a", "math", D(2025, 9, 1) + dt.timedelta(days=7 * k)) for k in range(8)]
    for k, lesson in enumerate(lessons):  # Mondays 1 Sep … 20 Oct; mover leaves 5А on 15 Oct
        for kid in ("a2", "a3", "a4", "mover") if k < 7 else ("a2", "a3", "a4"):
            s.mark(lesson, kid, "4")
        if k:  # a1: absent from 7 of 8 lessons and unmarked on the one attended
            s.absent(lesson, "a1")
    text = _paragraphs(_spravka(s).document)
    assert "Накопляемость у ученика ниже нормы: 1 ученик; учитель: Иванова И. (1)." in text
    assert "Риск «н/а» (пропущено не меньше нормы уроков): 1 ученик; учитель: Иванова И. (1)." in text


def test_a_year_is_named_as_a_year() -> None:
    """A check of the year period read «за Учебный год 2025/2026 учебного года» (справка, приказ, ведомость)."""
    s = school()
    s.insert("periods", id="y", school_id="s1", academic_year_id="y25", name="Учебный год", kind="year", number=1,
             start_date=D(2025, 9, 1), end_date=D(2026, 5, 31), grade_from=2, grade_to=9)
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    s.period_mark("a1", "math", "5a", "4", period="y")
    sp = spravka.build(s.con, queries.Scope(period_id="y"), spravka.SpravkaOptions(date=D(2026, 6, 10), norms=NORMS))
    assert "по итогам проверки ведения электронного журнала за 2025/2026 учебный год" in _paragraphs(sp.document)
    assert ("На основании справки по итогам проверки ведения электронного журнала за 2025/2026 учебный год от "
            "10.06.2026") in _paragraphs(prikaz.build(sp))
    sheet = _paragraphs(svodnaya.build(s.con, "s1", period_id="y", date=D(2026, 6, 10)))
    assert "за 2025/2026 учебный год" in sheet
    assert not [p for p in _paragraphs(sp.document) + sheet if "Учебный год" in p]


@pytest.mark.parametrize("lessons", [3, 4])
def test_an_uncorrected_two_is_counted_and_worded_with_the_schools_norm(lessons: int) -> None:
    """The справка said «не исправлена за 3 урока» whatever [journal].two_correction_lessons the school set."""
    s = school()
    days = [D(2025, 9, 1) + dt.timedelta(days=7 * k) for k in range(5)]  # the «2», then 4 lessons without a mark
    s.mark(s.lesson("5a", "math", days[0]), "a1", "2")
    for day in days[1:]:
        s.mark(s.lesson("5a", "math", day), "a2", "4")
    norms = load_norms()
    norms["journal"]["two_correction_lessons"] = lessons
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=norms))
    assert f"«2» не исправлена за {lessons} урока: 1 отметка; учитель: Иванова И. (1)." in _paragraphs(sp.document)


def test_a_late_topic_is_worded_with_the_schools_deadline() -> None:
    """A school that gives a day to write the topic read «тема записана позже дня урока» in the приказ for a
    topic written two days after the lesson, as if the next day were already late."""
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic_at=T(2025, 9, 17, 18, 0))
    s.lesson("5a", "math", D(2025, 9, 22), topic_at=T(2025, 9, 23, 18, 0))  # the next day: in time for this school
    norms = load_norms()
    norms["deadlines"]["topic_days"] = 1
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=norms))
    assert "; тема записана позже чем через 1\u00a0день после урока — 1;" in spravka.personal_breaches(
        sp.findings, "t_math", norms)
    order = docx.Document(io.BytesIO(render_docx(prikaz.build(sp))))
    cells = [c.text.replace("\u00a0", " ") for t in order.tables for row in t.rows for c in row.cells]
    assert any("тема записана позже чем через 1 день после урока — 1" in c for c in cells)


def test_the_timeliness_sentence_states_every_deadline_it_measured() -> None:
    """«в срок (обычные работы — 1 день, контрольные — 7 дней)» left out the 10 days of essays and expositions
    ([deadlines].by_work_type) that the share counted as in time."""
    s = school()
    s.mark(s.lesson("5a", "math", D(2025, 9, 15)), "a1", "5")
    text = _paragraphs(_spravka(s).document)
    assert ("Из 1 отметки в срок (обычные работы — 1 день, контрольные — 7 дней, сочинение и изложение — 10 дней) "
            "выставлено 100,0 %, в день урока — 100,0 %.") in text


def test_a_check_of_a_subgroup_calls_it_a_group() -> None:
    """«Электронный журнал 5А англ. 1 гр. класса» for a check of a subgroup."""
    s = school()
    s.lesson("5a_eng1", "eng", D(2025, 9, 15), teacher="t_eng", topic=None)
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    assert ("Объект: Электронный журнал группы «5А англ. 1 гр.»: учителя-предметники и классные руководители."
            in _paragraphs(_spravka(s, group_id="5a_eng1").document))
    assert ("Объект: Электронный журнал 5А класса: учителя-предметники и классные руководители."
            in _paragraphs(_spravka(s, group_id="5a").document))


def test_a_class_without_marks_gets_no_sheet() -> None:
    """The year's ведомости printed a page of bare names for each 1st-grade class (no marks) to be signed."""
    s = school()
    s.insert("periods", id="y", school_id="s1", academic_year_id="y25", name="Учебный год", kind="year", number=1,
             start_date=D(2025, 9, 1), end_date=D(2026, 5, 31), grade_from=2, grade_to=9)
    s.period_mark("a1", "math", "5a", "4", period="y")
    s.con.execute("UPDATE final_marks SET kind = 'year'")
    text = _paragraphs(svodnaya.build(s.con, "s1", academic_year_id="y25", date=D(2026, 6, 10)))
    assert [p for p in text if p.startswith("Сводная ведомость")] == ["Сводная ведомость успеваемости 5А класса"]
    # the average of the year marks in the grid is named as such, not «средний балл» (a current-marks name)
    assert any(p.endswith("СОУ 64,0 %, средняя годовая отметка 4,00.") for p in text), text


@pytest.mark.parametrize(("scope", "day", "message"), [
    ({"period_id": None, "date_from": D(2026, 7, 1), "date_to": D(2026, 7, 31)}, D(2026, 8, 10),
     "с 01.07.2026 по 31.07.2026 в журнале нет ни одного проведённого урока: справку составить не по чему"),
    ({"teacher_id": "t_eng"}, AS_OF,
     "с 01.09.2025 по 26.12.2025 в журнале нет ни одного проведённого урока (учитель — Петров И.)"),
    ({}, D(2025, 8, 20), "дата проверки 20.08.2025 раньше начала проверяемого периода (01.09.2025)"),
])
def test_a_spravka_of_nothing_is_refused_in_words(scope: dict, day: dt.date, message: str) -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    with pytest.raises(queries.ScopeError) as e:
        spravka.build(s.con, queries.Scope(**{"period_id": "p1", **scope}),
                      spravka.SpravkaOptions(date=day, norms=NORMS))
    assert message in str(e.value).replace("\u00a0", " ")


@pytest.mark.parametrize(("option", "what"), [("--class", "класс"), ("--teacher", "учитель")])
def test_an_unknown_class_or_teacher_is_named_in_plain_russian(tmp_path, option: str, what: str) -> None:
    """«класс «5x» не найден(а) в хранилище»: every thing this check names is masculine."""
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.lesson("5a", "math", D(2025, 9, 15))
    s.con.close()
    r = CliRunner().invoke(app, ["spravka", "--period", "p1", option, "x5", "--date", "2026-02-01",
                                 "--out", str(tmp_path / "s.pdf"), "--db", str(path)])
    assert r.exit_code == 2 and f"{what} «x5» не найден в хранилище" in r.output


@pytest.mark.parametrize("args", [
    ["vedomost", "--period", "p1", "--class", "5a_eng1"],
    ["raspechatka", "--week", "2025-09-15", "--class", "5a_eng1"],
])
def test_sheets_and_printouts_refuse_a_subgroup(tmp_path, args: list[str]) -> None:
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.mark(s.lesson("5a_eng1", "eng", D(2025, 9, 15), teacher="t_eng"), "a1", "5")
    s.period_mark("a1", "eng", "5a_eng1", "5")
    s.con.close()
    out = tmp_path / "doc.pdf"
    r = CliRunner().invoke(app, [*args, "--date", "2026-02-01", "--out", str(out), "--db", str(path)])
    assert r.exit_code == 2
    assert "«5a_eng1» — подгруппа, а не класс: укажите ИД класса" in r.output
    assert not out.exists()


@pytest.mark.slow
def test_demo_documents_lay_out_whole(demo_school) -> None:
    """Each class's сводная ведомость is one page with both signatures; no word of a справка table is cut."""
    con = connect_readonly(demo_school.db)
    try:
        for kind, value in (("period_id", "s001-per-s2"), ("academic_year_id", "s001-y2025")):
            doc = svodnaya.build(con, "s001", date=dt.date(2026, 6, 10), **{kind: value})
            classes = [b.text for b in doc.blocks if getattr(b, "style", None) == "title"]
            pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(doc))).pages]
            assert len(pages) == len(classes) > 20
            for title, page in zip(classes, pages, strict=True):
                assert title in page
                assert "Классный руководитель" in page and "Директор" in page and "М. П." in page
            signatures = [p for p in docx.Document(io.BytesIO(render_docx(doc))).paragraphs
                          if p.text.startswith(("Классный руководитель\t", "Директор\t"))]
            assert signatures and all(p.paragraph_format.keep_with_next for p in signatures)
        # the справка's tables: no header word cut inside (it read «Средне-взве | шенный», «Выставлен | о»)
        sp = spravka.build(con, queries.Scope(period_id="s001-per-s2"), spravka.SpravkaOptions(date=dt.date(2026, 6, 10)))
        words = set(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(sp.document))).pages).split())
        assert {"Средне-", "взвешенный", "Выставлено"} <= words and not {"Выставлен", "Средне-взве"} & words
        # a page per student (docs/documents.md): 7Б's letters and weekly printouts ran onto 35 and 64 pages for
        # 32 pupils, the parent's signature line alone on a page of its own
        for doc in (forecast_letter.build(con, "s001-g061", dt.date(2026, 4, 15)),
                    weekly.build(con, "s001", "s001-g061", dt.date(2026, 4, 13))):
            students = [b.text for b in doc.blocks if getattr(b, "style", None) == "subtitle"
                        and b.text.startswith(("Ученик: ", "Ученица: "))]
            pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(doc))).pages]
            assert len(pages) == len(students) > 25
            for student, page in zip(students, pages, strict=True):
                assert student.replace("\u00a0", " ") in page.replace("\u00a0", " ") and "Подпись родителя" in page
        letter = " ".join(_paragraphs(forecast_letter.build(con, "s001-g029", dt.date(2026, 3, 10))))
        assert "(регламент предоставления услуги «Электронный дневник», п. 2)" in letter
        assert "положени" not in letter
    finally:
        con.close()


def test_a_mark_without_entry_time_is_not_charged_as_late_and_the_spravka_says_so():
    """A one-off ЭлЖур import gives no entry times: its marks were «possibly late» (the loader saw them first
    on the import day), and the справка charged the teacher «отметки выставлены позже срока» and printed
    «в срок … 0,0 %» as if it were known."""
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 12, 1))
    s.mark(lesson, "a1", "5", entered_at=None)  # first seen by the loader on 10 Jan 2026
    s.mark(lesson, "a2", "4", entered_at=T(2025, 12, 1, 15, 0))
    sp = _spravka(s)
    assert "mark_late" not in sp.findings.teacher_cases("t_math")
    text = " ".join(_paragraphs(sp.document))
    assert ("Для 1 отметки электронный журнал не сообщает время выставления, известна лишь дата загрузки "
            "данных: выставлены ли они в срок, установить нельзя.") in text
    assert "в срок (обычные работы — 1 день, контрольные — 7 дней, сочинение и изложение — 10 дней) выставлено " \
           "50,0 %" in text


def test_the_deck_cites_the_regulation_not_a_polozhenie() -> None:
    """Six page captions of the deck cited «положение, п. 2.7» (the school's «Положение о текущем контроле» is
    another act): the rules are the регламент ведения ЭЖ (annex 2) and the регламент of the electronic diary
    (annex 3); annex 1 is the приказ's year plan."""
    views = sorted((Path(__file__).parents[1] / "dashboard").rglob("*.py"))
    assert len(views) > 10
    cited = {p.name for p in views if "положени" in p.read_text(encoding="utf-8")}
    assert cited == set()
    timeliness = (Path(__file__).parents[1] / "dashboard" / "views" / "timeliness.py").read_text(encoding="utf-8")
    assert "(регламент ведения ЭЖ, п. 2.5–2.8; регламент электронного дневника, п. 3)" in timeliness
