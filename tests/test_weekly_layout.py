"""Weekly printouts for parents (annex 3 p.1) that do not fit one sheet: busy weeks of grades 8–11 ran onto
a second page that did not say whose it was. A student's absences are one row per day and code, and a
printout that still runs over repeats the student's name and the week at the top of the next page (PDF:
reports.model.RunningHead; DOCX: a section per student whose header Word repeats on its later pages)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader

from etl.warehouse import connect_readonly
from reports import render_docx, render_pdf, weekly
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
    """8В, week of 22 Sep 2025: the demo school's busiest printout week (all weeks of grades 8–11 rendered):
    it ran onto 39 pages for 31 pupils, 8 of them without a name. Now every page names its pupil, and
    all but the fullest pupils fit one sheet."""
    con = connect_readonly(demo_school.db)
    try:
        doc = weekly.build(con, "s001", "s001-g089", dt.date(2025, 9, 22))
    finally:
        con.close()
    students = _students(doc)
    pages = _pages(doc)
    assert len(students) == 31 and len(pages) <= len(students) + 1
    owners = [_owner(p, students) for p in pages]
    assert sorted(set(owners)) == sorted(students)
    assert all("Подпись родителя" in pages[max(i for i, o in enumerate(owners) if o == s)] for s in students)
