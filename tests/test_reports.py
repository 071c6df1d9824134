"""Documents on the demo school: every section present, figures and listed violators equal the metrics for
the same period and scope, byte-identical output, PNG pages under test-artifacts/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import polars as pl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.warehouse import connect_readonly
from reports import prikaz, render_docx, render_pdf, spravka, svodnaya, weekly
from reports.text import number, share, short_name

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "documents"
PERIOD, CHECK_DAY = "s001-per-s2", dt.date(2026, 6, 10)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def con(demo_school):
    c = connect_readonly(demo_school.db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def built(con):
    s = spravka.build(con, queries.Scope(period_id=PERIOD), spravka.SpravkaOptions(date=CHECK_DAY))
    return s, render_pdf(s.document), render_docx(s.document)


def _scope() -> queries.Scope:
    return queries.Scope(period_id=PERIOD, as_of=CHECK_DAY)


def _people(con) -> dict[str, str]:
    return {r[0]: short_name(r[1], r[2], r[3]) for r in
            con.execute("SELECT id, last_name, first_name, middle_name FROM people").fetchall()}


def _pdf_text(data: bytes) -> str:
    return _norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def _docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _docx_text(data: bytes) -> str:
    return _norm(" ".join(p.text for p in _docx(data).paragraphs))


def _docx_rows(data: bytes) -> list[list[str]]:
    return [[_norm(c.text) for c in row.cells] for t in _docx(data).tables for row in t.rows]


SECTION_TITLES = ("СПРАВКА", "Основание:", "Вид контроля:", "Цель:", "Сроки проверки:", "Объект:", "Методы:",
                  "В ходе проверки установлено", "1. Полнота заполнения", "2. Своевременность заполнения",
                  "3. Накопляемость отметок", "4. Контрольные работы", "5. Объективность отметок",
                  "6. Отметки за период и «н/а»", "7. Выполнение программы", "8. Информирование родителей",
                  "Основные причины нарушений", "Выводы", "Рекомендации", "Со справкой ознакомлены")


def test_every_section_is_in_the_pdf_and_the_docx(built):
    _, pdf, doc = built
    for text in (_pdf_text(pdf), _docx_text(doc)):
        for title in SECTION_TITLES:
            assert title in text, title
        assert "Заместитель директора по УВР" in text


def test_narrative_figures_equal_the_metrics(con, built):
    _, pdf, doc = built
    pdf_text, docx_text = _pdf_text(pdf), _docx_text(doc)
    topic_missing = queries.run(con, "topic_missing", _scope()).height
    lessons = sum(queries.run(con, "timeliness_summary", _scope()).filter(pl.col("item") == "attendance")["entries"]) \
        + queries.run(con, "attendance_unmarked", _scope()).height
    topic_share = share((lessons - topic_missing) / lessons)
    mismatch = queries.run(con, "period_mark_mismatch", _scope()).height
    school = queries.run(con, "results_summary", _scope()).filter(pl.col("dimension") == "school").row(0, named=True)
    for text in (pdf_text, docx_text):
        assert _norm(f"Проверено {number(lessons)} проведённых уроков") in text
        assert _norm(f"Темы уроков записаны в {topic_share} уроков") in text
        assert _norm(f"Не записана тема урока: {number(topic_missing)} уроков") in text
        assert _norm(f"средневзвешенному баллу: {number(mismatch)} отмет") in text
        assert _norm(f"Успеваемость {number(school['success_pct'])} %, качество {number(school['quality_pct'])} %, "
                     f"СОУ {number(school['sou_pct'])} %") in text


def test_coverage_totals_are_the_complements_of_the_findings(con, built):
    s, _, _ = built
    cov = s.findings.measures["journal_coverage"].filter(pl.col("dimension") == "school").row(0, named=True)
    assert cov["lessons_held"] - cov["lessons_with_topic"] == queries.run(con, "topic_missing", _scope()).height
    assert cov["lessons_needing_homework"] - cov["lessons_with_homework"] == \
        queries.run(con, "homework_missing", _scope()).height
    assert cov["lessons_held"] - cov["lessons_roll_taken"] == queries.run(con, "attendance_unmarked", _scope()).height
    density = queries.run(con, "lesson_marks_density", _scope())
    assert cov["ordinary_lessons"] == density.height
    assert cov["ordinary_lessons"] - cov["lessons_marks_norm_met"] == density.filter(pl.col("below_norm")).height
    timely = s.findings.measures["timeliness_overview"]
    per_teacher = queries.run(con, "timeliness_summary", _scope()).group_by("item").agg(
        pl.col("entries", "within_deadline").sum())
    assert timely.select("item", "entries", "within_deadline").sort("item").to_dicts() == \
        per_teacher.sort("item").with_columns(pl.col("entries", "within_deadline").cast(pl.Int64)).to_dicts()


@pytest.mark.parametrize("name, label", [
    ("topic_missing", "не записана тема урока"), ("homework_missing", "не записано домашнее задание"),
    ("attendance_unmarked", "не отмечена посещаемость"), ("substitution_unrecorded", "замена не оформлена"),
    ("two_after_absence", "«2» на первом уроке после пропуска"),
    ("mark_on_absence_no_comment", "отметка при пропуске без комментария (п. 2.9)"),
])
def test_course_tables_list_exactly_the_metric_cases(con, built, name, label):
    _, _, doc = built
    people = _people(con)
    groups = dict(con.execute("SELECT id, name FROM groups").fetchall())
    subjects = dict(con.execute("SELECT id, name FROM subjects").fetchall())
    frame = queries.run(con, name, _scope())
    assert frame.height > 0, f"the demo school has no {name}: the test would prove nothing"
    expected = {(people[r["teacher_id"]], groups[r["group_id"]], subjects[r["subject_id"]])
                for r in frame.iter_rows(named=True)}
    expected_cases = frame.height
    rows = [r for r in _docx_rows(doc) if len(r) == 6 and r[3] == label]
    assert {(r[0], r[1], r[2]) for r in rows} == {tuple(_norm(x) for x in e) for e in expected}
    assert sum(int(r[4]) for r in rows) == expected_cases


def test_period_mark_mismatch_table_is_the_metric(con, built):
    _, _, doc = built
    people = _people(con)
    frame = queries.run(con, "period_mark_mismatch", _scope())
    expected = {(_norm(people[r["student_id"]]), number(r["weighted_avg"], 2), str(r["period_mark"]),
                 str(r["expected_mark"])) for r in frame.iter_rows(named=True)}
    rows = {(r[3], r[4], r[5], r[6]) for r in _docx_rows(doc) if len(r) == 7 and re.fullmatch(r"\d,\d\d", r[4])}
    assert rows == {tuple(_norm(x) for x in e) for e in expected}


def test_violators_and_acknowledgement_list(con, built):
    s, _, doc = built
    personal = [n for n, info in spravka.FINDINGS.items() if info.personal]
    expected = set()
    for name in personal:
        frame = s.findings.cases[name]
        expected |= set(frame["teacher_id"].drop_nulls().to_list())
    assert set(s.violators) == expected
    workload = queries.run(con, "teacher_workload", _scope()).filter(pl.col("lessons_held") > 0)
    assert set(s.exemplary) == set(workload["teacher_id"].to_list()) - expected
    people = _people(con)
    ack = [r for r in _docx_rows(doc) if len(r) == 4 and r[0].isdigit()]
    assert {r[1] for r in ack} >= {_norm(people[t]) for t in expected | set(s.exemplary)}
    assert [int(r[0]) for r in ack] == list(range(1, len(ack) + 1))


def test_output_is_byte_identical_and_paged(built, con):
    s, pdf, doc = built
    again = spravka.build(con, queries.Scope(period_id=PERIOD), spravka.SpravkaOptions(date=CHECK_DAY))
    assert render_pdf(again.document) == pdf
    assert render_docx(again.document) == doc
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages > 1
    assert f"Страница 1 из {pages}" in _norm(reader.pages[0].extract_text())
    assert f"Страница {pages} из {pages}" in _norm(reader.pages[-1].extract_text())
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].get_object().values()}
    assert fonts and all("PTSans" in f for f in fonts)
    # A findings table continues on the next page with its heading row repeated.
    heading = "Учитель Класс Предмет Нарушение Случаев Даты"
    assert sum(heading in _norm(p.extract_text()) for p in reader.pages) >= 2
    d = _docx(doc)
    assert d.paragraphs[1].style.name == "Title"
    assert any(p.style.name == "Heading 1" for p in d.paragraphs)
    assert all(t.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None for t in d.tables)


def test_prikaz_names_the_same_teachers_with_the_deadline(built):
    s, _, _ = built
    data = render_docx(prikaz.build(s))
    text = _docx_text(data)
    assert "ПРИКАЗЫВАЮ:" in text and "Контроль за исполнением приказа оставляю за собой." in text
    assert "до 24.06.2026" in text  # check day + fix_days (14)
    listed = {r[0] for r in _docx_rows(data) if len(r) == 2 and r[0] != "Учитель"}
    assert listed == {_norm(s.names.person(t)) for t in s.violators}


def test_period_sheet_of_a_class_equals_summary_sheet(con):
    class_id = "s001-g008"
    doc = svodnaya.build(con, "s001", period_id=PERIOD, group_id=class_id, date=CHECK_DAY)
    data = render_docx(doc)
    scope = queries.Scope(period_id=PERIOD, group_id=class_id, as_of=CHECK_DAY)
    sheet = queries.run(con, "summary_sheet", scope)
    subjects = dict(con.execute("SELECT id, coalesce(short_name, name) FROM subjects").fetchall())
    full = {r[0]: " ".join(x for x in r[1:] if x) for r in
            con.execute("SELECT id, last_name, first_name, middle_name FROM people").fetchall()}
    table = _docx(data).tables[0]
    header = [_norm(c.text) for c in table.rows[0].cells]
    got = {}
    for row in table.rows[1:]:
        cells = [_norm(c.text) for c in row.cells]
        for title, value in zip(header[2:], cells[2:], strict=True):
            got[(cells[1], title)] = value
    expected = {(full[r["student_id"]], subjects[r["subject_id"]]): r["period_mark"] or ""
                for r in sheet.iter_rows(named=True)}
    assert got == expected
    res = queries.run(con, "results_summary", scope).filter(
        (pl.col("dimension") == "class") & (pl.col("key") == class_id)).row(0, named=True)
    assert _norm(f"Успеваемость {number(res['success_pct'])} %, качество {number(res['quality_pct'])} %, "
                 f"СОУ {number(res['sou_pct'])} %") in _docx_text(data)


def test_year_sheet_has_every_year_mark(con):
    doc = svodnaya.build(con, "s001", academic_year_id="s001-y2025", group_id="s001-g008", date=dt.date(2026, 6, 30))
    rows = _docx_rows(render_docx(doc))
    marks = [c for r in rows[1:] for c in r[2:] if c]
    expected = con.execute("""
        SELECT count(*) FROM final_marks f JOIN memberships m ON m.student_id = f.student_id
        WHERE f.kind = 'year' AND m.group_id = 's001-g008' AND (m.valid_to IS NULL OR m.valid_to >= DATE '2026-05-31')
    """).fetchall()[0][0]
    assert len(marks) == expected > 0


def test_weekly_printout_lists_the_students_marks_of_the_week(con):
    monday = dt.date(2025, 11, 17)
    doc = weekly.build(con, "s001", "s001-g008", monday)
    pages = PdfReader(io.BytesIO(render_pdf(doc))).pages
    students = con.execute("""SELECT count(DISTINCT student_id) FROM memberships WHERE group_id = 's001-g008'
                              AND valid_from <= DATE '2025-11-23' AND (valid_to IS NULL OR valid_to >= ?)""",
                           [monday]).fetchall()[0][0]
    assert len(pages) >= students
    text = _docx_text(render_docx(doc))
    first = re.search(r"Учени(?:к|ца): (.+?),", text).group(1)
    sid, = con.execute("SELECT id FROM people WHERE concat_ws(' ', last_name, first_name, middle_name) = ?",
                       [first]).fetchall()[0]
    marks = con.execute("""SELECT count(*) FROM marks mk JOIN groups g ON g.id = mk.group_id
                           WHERE mk.student_id = ? AND mk.deleted_at IS NULL AND mk.lesson_date BETWEEN ? AND ?
                           AND coalesce(g.parent_group_id, g.id) = 's001-g008'""",
                        [sid, monday, monday + dt.timedelta(days=6)]).fetchall()[0][0]
    first_page = render_docx(weekly.build(con, "s001", "s001-g008", monday))
    tables = _docx(first_page).tables
    assert marks > 0 and len(tables[0].rows) - 1 == marks


def test_cli_refuses_an_unknown_period_and_writes_nothing(demo_school, tmp_path):
    out = tmp_path / "s.pdf"
    result = CliRunner().invoke(app, ["spravka", "--db", str(demo_school.db), "--period", "нет-такого",
                                      "--out", str(out)])
    assert result.exit_code == 2
    assert "период «нет-такого» не найден" in result.output
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["vedomost", "--period", "нет-такого"], "период «нет-такого» не найден"),
    (["vedomost", "--year", "нет-такого"], "учебный год «нет-такого» не найден"),
    (["vedomost", "--period", PERIOD, "--school", "s9"], "школа «s9» не найдена"),
    (["raspechatka", "--class", "нет-такого", "--week", "2025-10-06"], "класс «нет-такого» не найден"),
    (["pismo", "--class", "нет-такого", "--as-of", "2026-03-10"], "класс «нет-такого» не найден"),
])
def test_document_commands_refuse_unknown_ids_and_write_nothing(demo_school, tmp_path, args, message):
    out = tmp_path / "doc.pdf"
    result = CliRunner().invoke(app, [*args, "--db", str(demo_school.db), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


def test_cli_writes_the_docx(demo_school, tmp_path):
    out = tmp_path / "s.docx"
    result = CliRunner().invoke(app, ["spravka", "--db", str(demo_school.db), "--period", PERIOD,
                                      "--date", "10.06.2026", "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "СПРАВКА" in _docx_text(out.read_bytes())


def test_pages_as_png_for_a_person_to_look_at(built, con):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    s, pdf, _ = built
    docs = {"spravka": pdf, "prikaz": render_pdf(prikaz.build(s)),
            "svodnaya": render_pdf(svodnaya.build(con, "s001", period_id=PERIOD, group_id="s001-g008", date=CHECK_DAY)),
            "weekly": render_pdf(weekly.build(con, "s001", "s001-g008", dt.date(2025, 11, 17)))}
    for name, data in docs.items():
        (ARTIFACTS / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-l", "3", str(ARTIFACTS / f"{name}.pdf"),
                        str(ARTIFACTS / name)], check=True)
        assert sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_date_list_gives_one_date_per_case():
    from reports.text import NBSP, date_list
    d = dt.date
    # 7 cases on 6 days: the shared day says so, and the dates add up to the row's cases
    days = [d(2025, 9, 3), d(2025, 9, 10), d(2025, 9, 10), d(2025, 9, 17), d(2025, 9, 24), d(2025, 10, 1),
            d(2025, 10, 8)]
    assert date_list(reversed(days)) == "03.09, 10.09 (2), 17.09, 24.09, 01.10, 08.10"
    assert date_list(days, limit=4) == f"03.09, 10.09 (2), 17.09, 24.09 и ещё 2{NBSP}дня"
    assert date_list([]) == ""
