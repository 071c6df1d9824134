"""The figures a director presents at the pedagogical council and a deputy writes into the справка are one
figure on every surface: the deck's tiles and tables, its downloads, `zavuch metrics` and the documents.

The base school (tests/metrics_fixtures.py): 5А = a1..a4 + mover until 15 Oct; 5Б = b1 + mover from 16 Oct;
weights: answer 1, control work 2; the previous semester p0 is of the previous academic year.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
from pathlib import Path

import docx
import numpy as np
import polars as pl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import queries
from cli.main import app
from dashboard import fmt
from etl.warehouse import connect_readonly
from queries import deck
from reports import render_docx, render_pdf, spravka, svodnaya, text
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import AS_OF, D, School, school
from tests.test_metrics_journal import norms_with

# Shares as the query layer gives them (4 decimals) whose percent ends in a half: Python's format rounded
# them on their binary value for the tiles and the documents, polars' round for the tables and the CSV,
# and the two disagreed (0.9645: the demo's 8В attendance in the 2nd semester, tile «96,5 %», table
# «96,4 %»; 0.9755: «97,5 %» on the tile, «97,6 %» in the table). Half up on the decimal value, by hand:
HALVES = {0.9645: "96,5", 0.9755: "97,6", 0.9765: "97,7", 0.0015: "0,2", 0.1915: "19,2", 0.8045: "80,5",
          0.9731: "97,3", 1.0: "100,0"}


@pytest.mark.parametrize(("share", "shown"), HALVES.items())
def test_a_share_reads_the_same_on_every_surface(share: float, shown: str) -> None:
    tile = fmt.share(share)  # the deck's tiles
    frame = pl.DataFrame({"attendance_rate": [share]})
    table = fmt.as_text(frame, ["attendance_rate"]).item()  # the deck's tables, `zavuch metrics --format table`
    files = fmt.for_files(frame, ["attendance_rate"])  # its CSV / XLSX, `zavuch metrics --format csv`
    document = text.share(share)  # справка, приказ, ведомость
    assert tile == table == document == f"{shown}\u00a0%"
    assert files.columns == ["attendance_rate, %"] and f"{files.item():.1f}".replace(".", ",") == shown


def test_numbers_and_changes_round_half_up_alike() -> None:
    # 3.125 (an average to two decimals), 0.05 п.п. (a change), 2.5 (whole number of a document's table)
    assert fmt.number(3.125, 2) == text.number(3.125, 2) == "3,13"
    assert fmt.points(0.05) == "+0,1\u00a0п.\u00a0п." and fmt.points(-0.05) == "-0,1\u00a0п.\u00a0п."
    assert text.number(2.5, 0) == "3" and text.number(12055) == "12\u00a0055"
    cells = fmt.as_text(pl.DataFrame({"avg_mark": [3.125, 4.0]}), ["avg_mark"])["avg_mark"].to_list()
    assert cells == ["3,13", "4,00"]


def _one_class(path: Path) -> School:
    s = school(str(path))
    s.period_mark("a1", "math", "5a", "5")
    s.mark(s.lesson("5a", "math", D(2025, 9, 8)), "a1", "5")
    return s


@pytest.mark.parametrize("scope", [
    {"period_id": "p1"},  # the previous semester p0 is last year's, before class 5А existed
    {"date_from": D(2025, 9, 1), "date_to": D(2025, 9, 30)},  # «Свои даты»: the range before is August
])
def test_a_class_without_a_previous_period_has_its_figures_and_no_change(tmp_path: Path, scope: dict) -> None:
    """Обзор of a class stopped on a ScopeError («класс «5a» относится к 2025/2026 учебному году, а выбранные
    даты (09.01.2025–30.05.2025) — нет») when the period or range before lay outside the class's year."""
    s = _one_class(tmp_path / "wh.duckdb")
    figures = deck.key_figures(s.con, queries.Scope(group_id="5a", as_of=AS_OF, **scope))
    assert figures.filter(pl.col("key") == "topics")["value"].to_list() == [1.0]
    assert figures["previous"].null_count() == figures["change"].null_count() == figures.height
    s.con.close()
    os.environ["ZAVUCH_DB"] = str(tmp_path / "wh.duckdb")
    at = AppTest.from_file(APP, default_timeout=180)
    url = {"school": "s1", "class": "5a", **({"period": "p1"} if "period_id" in scope else
                                              {"period": "dates", "from": "2025-09-01", "to": "2025-09-30"})}
    for k, v in url.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m for m in at.metric}
    assert tiles["Уроки с темой"].value == "100,0\u00a0%" and not tiles["Уроки с темой"].delta
    assert tiles["Уроки с темой"].help == "За прошлый период по этому срезу данных нет."


def _class_and_subject(path: Path) -> School:
    """One subject (maths), class 5А with a5 and a6 added, and the mover, who leaves 5А for 5Б on 16 Oct."""
    s = school(str(path))
    for pid, last in (("a5", "Жукова"), ("a6", "Зайцев")):
        s.insert("people", id=pid, school_id="s1", role="student", last_name=last, first_name="Имя")
        s.insert("memberships", group_id="5a", student_id=pid, valid_from=D(2025, 9, 1), valid_to=None)
    sep8, sep15 = s.lesson("5a", "math", D(2025, 9, 8)), s.lesson("5a", "math", D(2025, 9, 15))
    sep22, nov10 = s.lesson("5a", "math", D(2025, 9, 22)), s.lesson("5b", "math", D(2025, 11, 10))
    for kid, v in (("a1", "5"), ("a2", "4"), ("a4", "2"), ("a5", "2"), ("a6", "3"), ("mover", "5")):
        s.mark(sep8, kid, v)  # answers, weight 1
    for kid, v in (("a1", "4"), ("a2", "4-"), ("a5", "3"), ("a6", "4")):
        s.mark(sep15, kid, v)
    for kid, v in (("a1", "3"), ("a2", "5"), ("a5", "2")):
        s.mark(sep22, kid, v, work_type="wt_test")  # control work, weight 2
    for kid, v in (("mover", "4"), ("b1", "3")):
        s.mark(nov10, kid, v, work_type="wt_test")
    # a6 has marks but no period mark; a3 is exempt («осв»); a4 not attested; the mover is marked in 5Б
    for kid, group, v in (("a1", "5a", "4"), ("a2", "5a", "5"), ("a3", "5a", "осв"), ("a4", "5a", "н/а"),
                          ("a5", "5a", "2"), ("mover", "5b", "4"), ("b1", "5b", "3")):
        s.period_mark(kid, "math", group, v)
    return s


def _docx_paragraphs(data: bytes) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(io.BytesIO(data)).paragraphs]


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).replace("\u00a0", " ").split())


def test_results_of_a_class_and_a_subject_by_hand_on_every_surface(tmp_path: Path) -> None:
    """Успеваемость, качество, СОУ and the averages of 5А and 5Б maths, computed here from the marks above.

    Current marks (weight): a1 5(1) 4(1) 3(2): average 12/3 = 4.00, weighted (5+4+6)/4 = 3.75;
    a2 4(1) «4-»(1) 5(2): 13/3 = 4.33, (4+4+10)/4 = 4.50; a4 2(1): 2.00, 2.00; a5 2(1) 3(1) 2(2): 7/3 = 2.33,
    (2+3+4)/4 = 2.25; a6 3 4: 3.50, 3.50; mover 5(1) in 5А + 4(2) in 5Б: 9/2 = 4.50, (5+8)/3 = 4.33 — the
    marks of the old class come along; b1 3(2): 3.00.
    Who is in N (the period marks of the class): 5А = a1 «4», a2 «5», a4 «н/а», a5 «2» → N = 4; a3 «осв» and
    a6 (no period mark) are outside, the mover counts in 5Б, his class at the period's end.
    5А: успеваемость (1+1+0)/4 = 50,0 %, качество 2/4 = 50,0 %, СОУ (100+64+16+7)/4 = 46,75 → 46,8 %;
    средняя отметка за период (4+5+2)/3 = 3,67.
    5Б: mover «4», b1 «3» → 100,0 %, 50,0 %, (64+36)/2 = 50,0 %, 3,50.
    School: «5» 1, «4» 2, «3» 1, «2» 1, «н/а» 1 → N = 6: 4/6 = 66,7 %, 3/6 = 50,0 %,
    (100+128+36+16+7)/6 = 47,83 → 47,8 %; средняя отметка за период (4+5+2+4+3)/5 = 3,60; «осв» 1.
    The previous semester p0 holds no period marks: no change.
    """
    path = tmp_path / "wh.duckdb"
    s = _class_and_subject(path)
    con, scope = s.con, queries.Scope(period_id="p1", as_of=AS_OF)
    by_hand = {"all": (6, 1, 66.7, 50.0, 47.8, 3.6), "5a": (4, 1, 50.0, 50.0, 46.8, 3.67),
               "5b": (2, 0, 100.0, 50.0, 50.0, 3.5)}
    results = queries.run(con, "results_summary", scope).filter(pl.col("dimension").is_in(["school", "class"]))
    assert {r["key"]: (r["n"], r["n_exempt"], r["success_pct"], r["quality_pct"], r["sou_pct"], r["avg_period_mark"])
            for r in results.iter_rows(named=True)} == by_hand
    assert results["prev_success_pct"].null_count() == results.height
    sheet = queries.run(con, "summary_sheet", scope)
    assert sorted(sheet.select("class_id", "student_id", "period_mark", "counted_marks", "avg_mark",
                               "weighted_avg").rows()) == [
        ("5a", "a1", "4", 3, 4.0, 3.75), ("5a", "a2", "5", 3, 4.33, 4.5), ("5a", "a3", "осв", 0, None, None),
        ("5a", "a4", "н/а", 1, 2.0, 2.0), ("5a", "a5", "2", 3, 2.33, 2.25), ("5a", "a6", None, 2, 3.5, 3.5),
        ("5b", "b1", "3", 1, 3.0, 3.0), ("5b", "mover", "4", 2, 4.5, 4.33)]

    # the deck's Обзор tiles, for the school and for 5А
    for key, group in (("all", None), ("5a", "5a")):
        figures = deck.key_figures(con, queries.Scope(period_id="p1", as_of=AS_OF, group_id=group))
        tiles = {r["key"]: fmt.percent(r["value"]) for r in figures.iter_rows(named=True) if r["unit"] == "pct"}
        _, _, success, quality, sou, _ = by_hand[key]
        assert tiles == {"success": text.percent(success), "quality": text.percent(quality), "sou": text.percent(sou)}

    # the справка (DOCX and PDF), its section 6 sentence
    sp = spravka.build(con, scope, spravka.SpravkaOptions(date=AS_OF))
    sentence = ("Отметок за период в расчёте показателей: 6, из них «5» — 1, «4» — 2, «3» — 1, «2» — 1, «н/а» — 1; "
                "«осв» — 1, в расчёт показателей не входят. Успеваемость 66,7 %, качество 50,0 %, СОУ 47,8 %, "
                "средняя отметка за период 3,60. Сравнение с предыдущим периодом не приводится: его отметок за период в "
                "хранилище нет.")
    assert sentence in _docx_paragraphs(render_docx(sp.document))
    # one name for one figure: the справка read «средний балл» for the deck's «Средняя отметка за период»,
    # next to which the deck's table has «Средний текущий балл», another figure (3,17 here)
    assert f"{fmt.LABELS['avg_period_mark'].lower()} 3,60" in sentence
    assert "Успеваемость 66,7 %, качество 50,0 %, СОУ 47,8 %, средняя отметка за период 3,60" in _pdf_text(render_pdf(sp.document))

    # the сводная ведомость of each class
    sheets = svodnaya.build(con, "s1", period_id="p1", date=AS_OF)
    paragraphs = _docx_paragraphs(render_docx(sheets))
    assert "Отметок в расчёте показателей: 4 («5» — 1, «4» — 1, «3» — 0, «2» — 1, «н/а» — 1); «осв» — 1, в расчёт " \
           "показателей не входят. Успеваемость 50,0 %, качество 50,0 %, " \
           "СОУ 46,8 %, средняя отметка за период 3,67." in paragraphs
    assert "Отметок в расчёте показателей: 2 («5» — 0, «4» — 1, «3» — 1, «2» — 0, «н/а» — 0). Успеваемость 100,0 %, " \
           "качество 50,0 %, " \
           "СОУ 50,0 %, средняя отметка за период 3,50." in paragraphs
    con.close()

    # `zavuch metrics … --format json` for 5А: the same figures the tile and the ведомость give
    out = CliRunner().invoke(app, ["metrics", "results_summary", "--period", "p1", "--class", "5a",
                                   "--as-of", AS_OF.isoformat(), "--db", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {(r["dimension"], r["key"]): r for r in json.loads(out.output)["rows"]}
    whole = rows[("school", "all")]  # the scope's whole: here the class
    assert (whole["n"], whole["success_pct"], whole["quality_pct"], whole["sou_pct"], whole["avg_period_mark"]) == \
        (4, 50.0, 50.0, 46.8, 3.67)
    assert (whole["avg_current_mark"], whole["weighted_avg_current"]) == (3.17, 3.13)  # (4+4.33+2+2.33)/4, (3.75+4.5+2+2.25)/4


def _two_semesters(path: Path | None = None) -> School:
    """The base school with its 2nd semester p2 (2026); 5А's period marks: a1 «5» then «4», a2 «4» then «3»."""
    s = school(str(path)) if path else school()
    s.insert("periods", id="p2", school_id="s1", academic_year_id="y25", name="2 семестр", kind="semester",
             number=2, start_date=D(2026, 1, 12), end_date=D(2026, 5, 29), grade_from=2, grade_to=9)
    for day in (D(2025, 9, 8), D(2026, 1, 12)):
        s.mark(s.lesson("5a", "math", day), "a1", "5")
    for kid, first, second in (("a1", "5", "4"), ("a2", "4", "3")):
        s.period_mark(kid, "math", "5a", first)
        s.period_mark(kid, "math", "5a", second, period="p2", entered_at=None)
    return s


def test_a_spravka_over_dates_names_each_periods_results_and_their_change() -> None:
    """A справка over dates covering two semesters printed two «Отметок за период: …» sentences with nothing
    saying which semester each was, and no справка said how the results moved against the previous period
    (the deck's tiles do). By hand: 1st semester a1 «5», a2 «4»: 100,0 %, 100,0 %, СОУ (100+64)/2 = 82,0 %,
    4,50; 2nd a1 «4», a2 «3»: 100,0 %, 50,0 %, (64+36)/2 = 50,0 %, 3,50; change 0,0 / −50,0 / −32,0 п. п."""
    s = _two_semesters()
    day = D(2026, 6, 10)
    sp = spravka.build(s.con, queries.Scope(date_from=D(2025, 9, 1), date_to=D(2026, 5, 29)),
                       spravka.SpravkaOptions(date=day))
    paragraphs = _docx_paragraphs(render_docx(sp.document))
    first = ("1 семестр (2–9 классы). Отметок за период в расчёте показателей: 2, из них «5» — 1, «4» — 1, «3» — 0, "
             "«2» — 0, «н/а» — 0. Успеваемость 100,0 %, качество 100,0 %, СОУ 82,0 %, средняя отметка за период 4,50. "
             "Сравнение с предыдущим периодом не приводится: его отметок за период в хранилище нет.")
    second = ("2 семестр (2–9 классы). Отметок за период в расчёте показателей: 2, из них «5» — 0, «4» — 1, «3» — 1, "
              "«2» — 0, «н/а» — 0. Успеваемость 100,0 %, качество 50,0 %, СОУ 50,0 %, средняя отметка за период 3,50. "
              "К предыдущему периоду: успеваемость 0,0 п. п., качество −50,0 п. п., СОУ −32,0 п. п.")
    assert paragraphs.index(first) + 1 == paragraphs.index(second)
    # the 2nd semester alone: its sentence without the name, the change as the deck's tile shows it
    alone = spravka.build(s.con, queries.Scope(period_id="p2"), spravka.SpravkaOptions(date=day))
    assert second.split(". ", 1)[1] in _docx_paragraphs(render_docx(alone.document))
    tiles = deck.key_figures(s.con, queries.Scope(period_id="p2", as_of=day))
    assert [fmt.points(x) for x in tiles.filter(pl.col("unit") == "pct")["change"]] == \
        ["0,0\u00a0п.\u00a0п.", "-50,0\u00a0п.\u00a0п.", "-32,0\u00a0п.\u00a0п."]


@pytest.mark.parametrize(("lessons", "sentence"), [(1, "Проверен 1 проведённый урок."),
                                                   (2, "Проверено 2 проведённых урока."),
                                                   (21, "Проверен 21 проведённый урок.")])
def test_the_verb_agrees_with_the_number_of_lessons(lessons: int, sentence: str) -> None:
    """«Проверено 3 371 проведённый урок» (the demo's 1–4 in the 1st semester): a count ending in «один»
    takes the singular verb, «Проверен 21 урок»."""
    s = school()
    for k in range(lessons):
        s.lesson("5a", "math", D(2025, 9, 1) + dt.timedelta(days=k))
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF))
    assert any(p.startswith(sentence) for p in _docx_paragraphs(render_docx(sp.document)))


def test_the_general_recommendations_quote_the_schools_deadlines() -> None:
    """A school marking within 2 days (control works 5) read in §2 «обычные работы — 2 дня, контрольные —
    5 дней» and in the recommendations, from a literal template, «не позднее следующего дня, за контрольные
    работы — в течение недели»: the same справка stated two deadlines."""
    s = school()
    s.lesson("5a", "math", D(2025, 9, 8))
    norms = norms_with(deadlines={"mark_days": 2, "control_work_days": 5, "topic_days": 1, "attendance_days": 1,
                                  "homework_days": 1})
    sp = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF, norms=norms))
    paragraphs = _docx_paragraphs(render_docx(sp.document))
    assert "1. Всем учителям: вносить в электронный журнал темы уроков, домашнее задание и отсутствующих в срок " \
           "(темы, посещаемость и ДЗ — 1 день; п. 2.5–2.7 регламента)." in paragraphs
    assert "2. Всем учителям: выставлять текущие отметки в срок (обычные работы — 2 дня, контрольные — 5 дней, " \
           "сочинение и изложение — 10 дней; п. 2.8; прил. 3 п. 3)." in paragraphs
    assert not [p for p in paragraphs if "следующего дня" in p or "в течение недели" in p]


def test_a_tiles_change_is_the_difference_of_the_figures_it_shows(tmp_path: Path) -> None:
    """The demo's attendance tile read «97,0 %», «В прошлом периоде: 97,6 %» and «-0,5 п.п.» (0,9703 − 0,9758
    unrounded); 6В's timeliness «92,5 %» against «92,5 %» read «+0,1 п.п.», a rise. By hand: lessons with a
    topic 18 of 19 = 94,74 % → «94,7 %»; the semester before 22 of 23 = 95,65 % → «95,7 %»; the change as
    shown is −1,0 п.п. (unrounded −0,92 would read «-0,9 п.п.»)."""
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    for k in range(19):
        s.lesson("5a", "math", D(2025, 9, 1) + dt.timedelta(days=k), topic=None if k == 0 else "Тема урока по плану")
    for k in range(23):
        s.lesson("4a", "math", D(2025, 2, 3) + dt.timedelta(days=k), topic=None if k == 0 else "Тема урока по плану")
    topics = deck.key_figures(s.con, queries.Scope(period_id="p1", as_of=AS_OF)).filter(pl.col("key") == "topics")
    assert topics.select("value", "previous", "change").row(0) == (0.947, 0.957, -0.01)
    s.con.close()
    os.environ["ZAVUCH_DB"] = str(path)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["school"], at.query_params["period"] = "s1", "p1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "Уроки с темой")
    assert (tile.value, tile.help, tile.delta) == ("94,7\u00a0%", "В прошлом периоде: 95,7\u00a0%", "-1,0\u00a0п.\u00a0п.")


def test_a_previous_period_without_lessons_has_no_students_at_risk_to_compare() -> None:
    """«Учеников в группе риска» read «В прошлом периоде: 0» and a rise of 1 against a previous period (or the
    range before «Свои даты») without a single lesson in the journal; every other tile said there was none."""
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 8))
    s.absent(lesson, "a1")  # a1 missed the only lesson: «н/а» risk and systematic absence
    # the semester: a1..a4 have too few marks in maths at its end (a1 also missed half the lessons); September: a1
    for scope, students in (({"period_id": "p1"}, 4.0), ({"date_from": D(2025, 9, 1), "date_to": D(2025, 9, 30)}, 1.0)):
        figures = deck.key_figures(s.con, queries.Scope(as_of=AS_OF, **scope))
        at_risk = figures.filter(pl.col("key") == "at_risk").row(0, named=True)
        assert (at_risk["value"], at_risk["previous"], at_risk["change"]) == (students, None, None)


DEMO_PERIOD, DEMO_DAY = "s001-per-s2", D(2026, 6, 10)


def _figure(sentence: str, before: str, after: str) -> str:
    """The text between two markers of a справка sentence: «… в » 99,6 % « уроков …»."""
    return sentence.split(before, 1)[1].split(after, 1)[0]


@pytest.mark.slow
@pytest.mark.parametrize("narrow", [{}, {"level": "5-9"}, {"group_id": "s001-g029"}, {"teacher_id": "s001-t038"}],
                         ids=["school", "level 5-9", "class 5А", "teacher"])
def test_demo_obzor_spravka_and_cli_state_the_same_figures(demo_school, narrow: dict) -> None:
    """The demo's 2nd semester, as the director shows it at the council (Обзор) and the deputy signs it
    (справка), and as `zavuch metrics --format json` gives it: lessons with a topic and with homework, the
    results and their change against the 1st semester, for the school, level 5–9, a class and a teacher."""
    con = connect_readonly(demo_school.db)
    try:
        scope = queries.Scope(period_id=DEMO_PERIOD, school_id="s001", as_of=DEMO_DAY, **narrow)
        tiles = {r["key"]: r for r in deck.key_figures(con, scope).iter_rows(named=True)}
        sp = spravka.build(con, scope, spravka.SpravkaOptions(date=DEMO_DAY))
    finally:
        con.close()
    text_ = [p.text for p in sp.document.blocks if hasattr(p, "text")]
    filling = next(p for p in text_ if p.startswith(("Проверено", "Проверен ")))
    assert _figure(filling, "Темы уроков записаны в ", " уроков") == fmt.share(tiles["topics"]["value"])
    assert _figure(filling, "домашнее задание — в ", " уроков") == fmt.share(tiles["homework"]["value"])
    results = next(p for p in text_ if "Успеваемость " in p and "К предыдущему периоду" in p)
    for key, word, in_change in (("success", "Успеваемость ", "успеваемость "), ("quality", "качество ", "качество "),
                                 ("sou", "СОУ ", "СОУ ")):
        assert _figure(results, word, ", ") == fmt.percent(tiles[key]["value"])
        change = _figure(results.split("К предыдущему периоду", 1)[1], in_change, "\u00a0п.\u00a0п.")
        assert f"{change}\u00a0п.\u00a0п.".replace("−", "-") == fmt.points(tiles[key]["change"])  # one spelling
    args = ["metrics", "results_summary", "--period", DEMO_PERIOD, "--school", "s001", "--as-of",
            DEMO_DAY.isoformat(), "--db", str(demo_school.db), "--format", "json"]
    for option, key in (("--level", "level"), ("--class", "group_id"), ("--teacher", "teacher_id")):
        if key in narrow:
            args += [option, narrow[key]]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    whole = next(r for r in json.loads(out.output)["rows"] if r["dimension"] == "school")
    assert [whole[k] for k in ("success_pct", "quality_pct", "sou_pct")] == \
        [tiles[k]["value"] for k in ("success", "quality", "sou")]
    assert [whole[k] for k in ("success_change", "quality_change", "sou_change")] == \
        [tiles[k]["change"] for k in ("success", "quality", "sou")]


def test_a_one_scores_its_own_sou_points() -> None:
    """СОУ (В.П. Симонов, domain-notes §4.1: 5 → 100, 4 → 64, 3 → 36, 2 → 16, 1 → 7, н/а → 7) counted a «1» as a
    «2», 16 points. By hand: «1», «3», «5» → N = 3, (7 + 36 + 100)/3 = 47,67 → 47,7 % (it read (16+36+100)/3 =
    50,7 %); успеваемость 2/3 = 66,7 %; the «2» column still counts the «1»."""
    s = school()
    for kid, v in (("a1", "1"), ("a2", "3"), ("a3", "5")):
        s.period_mark(kid, "math", "5a", v)
    row = queries.run(s.con, "results_summary", queries.Scope(period_id="p1", as_of=AS_OF)).filter(
        pl.col("dimension") == "school").row(0, named=True)
    assert (row["n"], row["n2"], row["sou_pct"], row["success_pct"]) == (3, 1, 47.7, 66.7)


def test_results_of_two_periods_are_two_bars(tmp_path: Path) -> None:
    """«Свои даты» over two semesters: the Успеваемость chart drew 5А of the 1st and of the 2nd semester as one
    category, one bar over the other (100,0 % and 50,0 % качество in one place); each now names its period."""
    path = tmp_path / "wh.duckdb"
    s = _two_semesters(path)
    s.con.close()
    os.environ["ZAVUCH_DB"] = str(path)
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in {"school": "s1", "period": "dates", "from": "2025-09-01", "to": "2026-05-29"}.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/results.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.radio(key="res_dim").set_value("class").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    quality = next(t for t in spec["data"] if t["name"] == "Качество")
    y = quality["y"]  # Plotly sends number arrays as base64 typed arrays
    values = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]) if isinstance(y, dict) else y
    assert sorted(zip(quality["x"], map(float, values), strict=True)) == [("5А — 1 семестр", 100.0),
                                                                         ("5А — 2 семестр", 50.0)]


def test_a_pupil_at_risk_in_several_subjects_is_one_pupil() -> None:
    """«Риск «н/а»: 12 учеников» in the demo's 2nd-semester справка was one pupil (Воробьёв С. Н., 6Б) in 12
    subjects, and the 1st semester's «Накопляемость у ученика ниже нормы: 1 652 ученика» exceeded its 606 pupils
    with period marks: a case is a pupil in one subject. By hand: a1 misses every lesson of maths and literature → 1 pupil, 2 cases;
    a2 misses the maths lesson too → 2 pupils, 3 cases."""
    s = school()
    maths, lit = s.lesson("5a", "math", D(2025, 9, 8)), s.lesson("5a", "lit", D(2025, 9, 9), teacher="t_eng")
    for lesson in (maths, lit):
        s.absent(lesson, "a1")
    text = _docx_paragraphs(render_docx(spravka.build(
        s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF)).document))
    assert ("Риск «н/а» (пропущено не меньше нормы уроков): 1 ученик (2 случая по предметам); учителя: "
            "Иванова И. (1), Петров И. (1).") in text
    s.absent(maths, "a2")
    text = _docx_paragraphs(render_docx(spravka.build(
        s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF)).document))
    assert ("Риск «н/а» (пропущено не меньше нормы уроков): 2 ученика (3 случая по предметам); учителя: "
            "Иванова И. (2), Петров И. (1).") in text
