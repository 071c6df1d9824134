"""PDF text layout without fpdf2's line breaker (reports.pdf_text, reports.pdf_table): lines fit their box,
«Фамилия И. О.» never splits, long words and long rows continue, headers repeat, and nothing is lost."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from reports import fonts, render_pdf
from reports.model import Column, Document, Paragraph, Table
from reports.pdf_text import TextWidths, wrap

NBSP = "\u00a0"


@pytest.fixture()
def measure():
    pdf = FPDF(unit="mm", format="A4")
    for style, path in fonts.font_files().items():
        pdf.add_font(fonts.FAMILY, style, str(path))
    widths = TextWidths(pdf)
    return lambda s: widths("", 9.0, s)


def _pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text().replace(NBSP, " ")) for p in PdfReader(io.BytesIO(data)).pages]


def test_wrap_fits_the_width_and_keeps_names_whole(measure):
    names = [f"Иванова{NBSP}А.{NBSP}П.", f"Петров{NBSP}Б.{NBSP}В.", f"Сидоренко{NBSP}Г.{NBSP}Д."] * 6
    text = "Учителя: " + ", ".join(names) + "."
    lines = wrap(text, 40.0, measure)
    assert len(lines) > 3
    assert all(measure(line) <= 40.0 for line in lines)
    assert " ".join(lines) == text  # only ordinary spaces became line ends, in order, nothing lost
    for name in set(names):
        assert sum(line.count(name) for line in lines) == 6


def test_wrap_breaks_a_word_wider_than_the_line_and_honours_line_feeds(measure):
    word = "Превысокопревосходительство" * 3
    lines = wrap(f"а\n{word} б", 20.0, measure)
    assert lines[0] == "а"
    assert "".join(lines[1:-1]) + lines[-1].split(" ")[0] == word
    assert all(measure(line) <= 20.0 for line in lines[1:])
    assert lines[-1].endswith(" б") or lines[-1] == "б"


def test_a_word_too_wide_for_its_cell_breaks_at_its_hyphen_or_between_surname_and_initials(measure):
    """A table header «Средне-взвешенный» in a narrow column read «Средне-взве | шенный», a pupil's name
    «Соколовский И. Н.» read «Соколовский И. | Н.» or broke inside the surname."""
    assert wrap("Средне-взвешенный", measure("Средне-взвешенн"), measure) == ["Средне-", "взвешенный"]
    name = f"Соколовский{NBSP}И.{NBSP}Н."
    assert wrap(name, measure(f"Соколовский{NBSP}И."), measure) == [f"Соколовский{NBSP}И.", "Н."]
    assert wrap(name, measure("Соколовский И"), measure) == ["Соколовский", f"И.{NBSP}Н."]


def _doc(*blocks) -> Document:
    return Document(title="проверка", date=dt.date(2026, 6, 10), blocks=list(blocks))


def test_long_table_repeats_its_header_and_keeps_every_row():
    rows = tuple((f"Учитель{NBSP}{i:03d}", f"{i} класс", "не записана тема урока " * (1 + i % 3), str(i))
                 for i in range(150))
    doc = _doc(Paragraph("Таблица"), Table((Column("Учитель", 25), Column("Класс", 15), Column("Нарушение", 45),
                                            Column("Случаев", 15, "R")), rows))
    data = render_pdf(doc)
    assert render_pdf(doc) == data
    pages = _pages(data)
    assert len(pages) >= 3
    assert all("Учитель Класс Нарушение Случаев" in p for p in pages)
    text = " ".join(pages)
    assert [int(n) for n in re.findall(r"Учитель (\d{3})", text)] == list(range(150))


def test_a_row_taller_than_a_page_continues_on_the_next():
    students = ", ".join(f"Ученик{NBSP}{i:03d}" for i in range(900))
    data = render_pdf(_doc(Table((Column("Учитель", 20), Column("Нет отметки у учеников", 80)),
                                 (("Иванова", students), ("Петров", "—")))))
    pages = _pages(data)
    assert len(pages) >= 2
    assert all(p.count("Учитель Нет отметки у учеников") == 1 for p in pages)
    assert [int(n) for n in re.findall(r"Ученик (\d{3})", " ".join(pages))] == list(range(900))
    assert "Петров" in pages[-1]


def test_justified_paragraph_keeps_its_words_in_order_across_pages():
    words = [f"слово{i}" for i in range(2500)]
    data = render_pdf(_doc(Paragraph(" ".join(words))))
    pages = _pages(data)
    assert len(pages) >= 2
    assert re.findall(r"слово\d+", " ".join(pages)) == words
