"""Wording of the documents on schools built in code (tests/metrics_fixtures.py). The справка's closing lists:

- Иванова (t_math) leaves a lesson without a topic and without homework: a breach of the regulation.
- Сидорова (t_sub) keeps physical education of 5А in full order, except that a1 got two «2» in a row, a
  measured risk the справка reports (section 5) but does not charge to her.

So section 5 may not say she has no remarks, the conclusions may not say she keeps the journal «без
замечаний» (she has one), and no list of names ends in a second full stop after an initial («Иванова И..»).
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.norms import load_norms
from queries.access import Access, connection
from reports import prikaz, render_docx, spravka, svodnaya, weekly
from tests.metrics_fixtures import AS_OF, D, school

KIDS = ("a1", "a2", "a3", "a4", "mover")


def _paragraphs(document) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs]


def test_closing_lists_say_what_the_findings_say() -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    for k in range(8):  # Wednesdays 3 Sep … 22 Oct, before the autumn vacation
        lesson = s.lesson("5a", "pe", D(2025, 9, 3) + dt.timedelta(days=7 * k), number=3, teacher="t_sub")
        s.homework(lesson)
        for kid in KIDS:
            # «5», «4» alternately: average 4.5 → «5»; a1 has «2», «2» first: (2+2+5+4+5+4+5+4)/8 = 3.875 → «4»
            s.mark(lesson, kid, "2" if kid == "a1" and k < 2 else ("5" if k % 2 == 0 else "4"))
    s.period_mark("a1", "pe", "5a", "4")
    for kid in ("a2", "a3", "a4"):
        s.period_mark(kid, "pe", "5a", "5")
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=load_norms()))
    assert (sp.violators, sp.exemplary) == (("t_math",), ("t_sub",))
    text = _paragraphs(sp.document)
    section5 = text[text.index("5. Объективность отметок"):text.index("6. Отметки за период и «н/а»")]
    assert "Две «2» подряд: 1 случай; учитель: Сидорова И. (1)." in section5
    assert section5[-1] == "Замечаний по разделу нет у учителя: Иванова И."
    section1 = text[text.index("1. Полнота заполнения: темы уроков, домашние задания, посещаемость"):
                    text.index("2. Своевременность заполнения")]
    assert section1[-1] == "Замечаний по разделу нет у учителя: Сидорова И."
    conclusions = text[text.index("Выводы") + 1:text.index("Рекомендации")]
    assert conclusions == [
        "Электронный журнал ведётся с нарушениями регламента. Нарушения допущены учителем: Иванова И.",
        "Отметить работу учителя, ведущего журнал без нарушений регламента: Сидорова И.",
    ]
    order = _paragraphs(prikaz.build(sp))
    assert "1. Отметить добросовестное ведение электронного журнала учителем: Сидорова И." in order
    assert not [p for p in text + order if ".." in p]


def test_prikaz_preamble_names_the_check_once() -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=load_norms()))
    text = _paragraphs(prikaz.build(sp))
    assert text[text.index("ПРИКАЗЫВАЮ:") - 1] == (
        "На основании справки по итогам проверки ведения электронного журнала за 1 семестр 2025/2026 учебного года "
        "от 01.02.2026")


def test_weekly_printout_ends_without_a_double_full_stop() -> None:
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 15))
    s.mark(lesson, "a1", "5")
    doc = weekly.build(s.con, "s1", "5a", D(2025, 9, 15))
    text = _paragraphs(doc)
    issued = [p for p in text if p.startswith("Распечатка выдана")]
    assert issued and set(issued) == {"Распечатка выдана 21 сентября 2025 г.   Подпись родителя: ______________"}
    assert not [p for p in text if ".." in p]


# the load the справка reads (tests/metrics_fixtures.LOAD_TIME), said after the dates (docs/documents.md)
LOADED = (" Справка составлена по данным журнала, загруженным в программу «Завуч» 10.01.2026 в 12:00; записи, "
          "внесённые в журнал позже, в ней не учтены.")


@pytest.mark.parametrize(("day", "expected"), [
    (D(2025, 11, 1), ("Сроки проверки: данные журнала с 01.09.2025 по 01.11.2025 (проверяемый период — по "
                      "26.12.2025), проверка проведена 01.11.2025." + LOADED)),
    (AS_OF, "Сроки проверки: данные журнала с 01.09.2025 по 26.12.2025, проверка проведена 01.02.2026." + LOADED),
])
def test_a_check_inside_the_period_does_not_claim_data_after_it(day: dt.date, expected: str) -> None:
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=day, norms=load_norms()))
    assert expected in _paragraphs(sp.document)


def test_printout_date_defaults_to_the_weeks_sunday_as_its_help_says(tmp_path) -> None:
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.mark(s.lesson("5a", "math", D(2025, 9, 17)), "a1", "5")
    s.con.close()
    helped = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["raspechatka", "--help"])
    assert "Дата выдачи распечатки (по умолчанию воскресенье этой недели)." in " ".join(helped.output.split())
    out = tmp_path / "r.docx"
    r = CliRunner().invoke(app, ["raspechatka", "--class", "5a", "--week", "2025-09-17", "--out", str(out),
                                 "--db", str(path)])
    assert r.exit_code == 0, r.output
    issued = {p.text.replace("\u00a0", " ") for p in docx.Document(str(out)).paragraphs if "выдана" in p.text}
    assert issued == {"Распечатка выдана 21 сентября 2025 г.   Подпись родителя: ______________"}


def test_a_school_year_is_named_as_a_year_in_titles() -> None:
    """The справка and the сводная ведомость for a school year said «за Учебный год 2025/2026 учебного года»."""
    s = school()
    s.insert("periods", id="y", school_id="s1", academic_year_id="y25", name="Учебный год", kind="year", number=1,
             start_date=D(2025, 9, 1), end_date=D(2026, 5, 31), grade_from=2, grade_to=11)
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    sp = spravka.build(s.con, queries.Scope(period_id="y"), spravka.SpravkaOptions(date=AS_OF, norms=load_norms()))
    assert sp.document.title == "Справка по итогам проверки ведения электронного журнала за 2025/2026 учебный год"
    semester = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=load_norms()))
    assert semester.document.title.endswith("за 1 семестр 2025/2026 учебного года")
    sheets = svodnaya.build(s.con, "s1", period_id="y", group_id="5a", date=AS_OF, norms=load_norms())
    assert sheets.title == "Сводные ведомости успеваемости за 2025/2026 учебный год"


def test_a_class_teachers_spravka_names_their_class_as_its_object() -> None:
    """A class teacher's справка (deck, Справки) covers only their class but said «Электронный журнал 2–9 классов»."""
    s = school()
    s.lesson("5a", "math", D(2025, 9, 15), topic=None)
    s.lesson("5b", "math", D(2025, 9, 15), topic=None)
    options = spravka.SpravkaOptions(date=AS_OF, norms=load_norms())
    teacher = Access(role="class_teacher", school_ids=frozenset({"s1"}), class_ids=frozenset({"5a"}))
    objects = {who: next(t for t in _paragraphs(spravka.build(con, queries.Scope(period_id="p1"), options).document)
                         if t.startswith("Объект:"))
               for who, con in (("school", s.con), ("5a", connection(s.con, teacher)))}
    assert objects == {"school": "Объект: Электронный журнал 2–9 классов: учителя-предметники и классные руководители.",
                       "5a": "Объект: Электронный журнал 5А класса: учителя-предметники и классные руководители."}
