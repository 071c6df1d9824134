"""Weekly printouts for parents (annex 3 p.1) that do not fit one sheet: busy weeks of grades 8–11 ran onto
a second page that did not say whose it was. A student's absences are one row per day and code, and a
printout that still runs over repeats the student's name and the week at the top of the next page (PDF:
reports.model.RunningHead; DOCX: a section per student whose header Word repeats on its later pages)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import polars as pl
import pytest
from pypdf import PdfReader

from etl.warehouse import connect_readonly
from queries.documents import ClassWeek, class_week, directory
from reports import render_docx, render_pdf, weekly
from reports.model import Document, PageBreak
from reports.names import Names
from tests.metrics_fixtures import D, T, school

MONDAY = D(2025, 9, 15)


def _pages(doc) -> list[str]:
    return [" ".join(p.extract_text().replace("\u00a0", " ").split()) for p in
            PdfReader(io.BytesIO(render_pdf(doc))).pages]


def _students(doc) -> list[str]:
    return [b.text.replace("\u00a0", " ") for b in doc.blocks
            if getattr(b, "style", None) == "subtitle" and b.text.startswith(("Ученик: ", "Ученица: "))]


def _owner(page: str, students: list[str]) -> str:
    """The student a page names (first page: the subtitle; a continuation: the running head)."""
    named = [s for s in students if s in page]
    assert len(named) == 1, (named, page[:200])
    return named[0]


def _busy_week():
    """a1 of 5А: three lessons a day for a week, each with homework; ill for the whole of Tuesday."""
    s = school()
    for day in range(5):
        for n in range(1, 4):
            lesson = s.lesson("5a", "math", MONDAY + dt.timedelta(days=day), n)
            for k in range(5):  # five tasks a lesson: 75 rows of homework, more than a sheet holds
                s.homework(lesson, entered_at=T(2025, 9, 15 + day, 17, k))
            if day == 1:
                s.absent(lesson, "a1", "Б")
    return s


def test_a_printout_running_over_names_the_student_on_every_page():
    doc = weekly.build(_busy_week().con, "s1", "5a", MONDAY)
    students = _students(doc)
    pages = _pages(doc)
    assert len(pages) > len(students)  # the week does not fit: it continues …
    owners = [_owner(p, students) for p in pages]
    assert sorted(set(owners)) == sorted(students)
    assert owners == sorted(owners, key=owners.index)  # … each student's pages together, in order
    for before, page, owner in zip(pages, pages[1:], owners[1:], strict=False):
        if owner in before:  # a continuation page: the name and the week at its top
            assert page.startswith(f"{owner}; неделя 15.09.2025 – 21.09.2025 (продолжение)")
    # the whole of Tuesday is one row: lessons 1–3, the subjects, the code
    a1 = pages[owners.index(next(s for s in students if "Алексеев" in s))]
    assert "16.09.2025 1–3 Математика, Математика, Математика «Б» — по болезни" in a1
    assert a1.count("16.09.2025 ") == 1 + 5 * 3  # the absence row and Tuesday's homework rows


def test_docx_printout_repeats_the_student_in_the_header_of_later_pages():
    doc = weekly.build(_busy_week().con, "s1", "5a", MONDAY)
    students = _students(doc)
    sections = docx.Document(io.BytesIO(render_docx(doc))).sections
    assert len(sections) == len(students)
    for student, section in zip(students, sections, strict=True):
        assert section.different_first_page_header_footer
        assert section.header.paragraphs[0].text.startswith(f"{student}; неделя 15.09.2025 – 21.09.2025")
        assert section.first_page_header.paragraphs[0].text == ""
        assert section.first_page_footer.paragraphs[0].text.startswith("Страница")


@pytest.mark.slow
def test_demo_worst_week_keeps_each_page_named(demo_school) -> None:
    """8В, week of 22 Sep 2025: one of the demo school's two busiest printout weeks: it ran onto 39 pages for
    31 pupils, 8 of them without a name, then onto 32 (the fullest pupil's signature line alone). Now every
    page names its pupil and every pupil fits one sheet."""
    con = connect_readonly(demo_school.db)
    try:
        doc = weekly.build(con, "s001", "s001-g089", dt.date(2025, 9, 22))
    finally:
        con.close()
    students = _students(doc)
    pages = _pages(doc)
    assert len(students) == 31 and len(pages) == len(students)
    owners = [_owner(p, students) for p in pages]
    assert sorted(set(owners)) == sorted(students)
    assert all("Подпись родителя" in pages[max(i for i, o in enumerate(owners) if o == s)] for s in students)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The total page count")  # «Страница N из 1011»: only this test's long file
def test_every_class_week_of_the_demo_fits_one_sheet(demo_school) -> None:
    """Every class-week of the demo school's year: the sheet of its fullest pupil (most table rows: marks,
    absence days, homework) is laid out alone and must be one page with the signature line. Before, 8В and 9А
    in the week of 22.09.2025 (26 marks and 26 tasks; 23 marks, 3 absence rows and 28 tasks) ran onto a second
    sheet for the signature line, or a task and the signature line: a compact row was 3.8 mm, now 3.5 mm at
    the same 8 pt. The note on invalid entries is printed whenever the class has any in the year (the
    fullest a sheet can be)."""
    con = connect_readonly(demo_school.db)
    try:
        names = Names(directory(con, "s001"))
        start, end = con.execute("SELECT min(start_date), max(end_date) FROM academic_years").fetchall()[0]
        sheets = []
        for (group_id,) in con.execute("SELECT id FROM groups WHERE kind = 'class' ORDER BY id").fetchall():
            year = class_week(con, group_id, start, end)
            frames = (year.marks, year.absences, year.homework)
            rows = pl.concat([f.select("student_id", week=pl.col("lesson_date").dt.truncate("1w")) for f in frames])
            fullest = (rows.group_by("week", "student_id").len().sort("len", "student_id", descending=[True, False])
                       .group_by("week", maintain_order=True).first())
            for monday, student, _ in fullest.iter_rows():
                in_week = pl.col("lesson_date").is_between(monday, monday + dt.timedelta(days=6))
                sheets.append((group_id, monday, student, ClassWeek([student], *(f.filter(in_week) for f in frames),
                                                                    year.invalid)))
    finally:
        con.close()
    assert len(sheets) > 1000  # 29 classes × the weeks of the year with lessons
    doc = Document(title="Самые полные листы распечаток", date=dt.date(2026, 5, 31))
    for i, (group_id, monday, student, week) in enumerate(sheets):
        if i:
            doc.add(PageBreak())
        weekly.student_page(doc, names, week, group_id, student, monday)
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    if len(reader.pages) != len(sheets):
        over = [" ".join(p.extract_text().split()[:12]) for p in reader.pages if "(продолжение)" in p.extract_text()]
        pytest.fail(f"{len(reader.pages) - len(sheets)} листов не уместились: {over}")
