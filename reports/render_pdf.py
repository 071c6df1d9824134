"""Document → PDF bytes with fpdf2: PT Sans, A4, «Страница N из M», tables whose header row repeats on
every page, and a fixed creation date so the same document gives the same bytes (stack-notes §2.2).
Text is wrapped and placed by reports.pdf_text / reports.pdf_table rather than fpdf2's line breaker,
which cost most of the render time."""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

from reports import fonts
from reports.model import Document, PageBreak, Paragraph, RunningHead, Signature, Table
from reports.pdf_table import draw_table
from reports.pdf_text import TextWidths, paragraph

BODY_SIZE = 11.0
STYLE: dict[str, tuple[str, float, str]] = {  # style → (emphasis, size, align)
    "body": ("", BODY_SIZE, "J"),
    "title": ("B", 13.0, "C"),
    "subtitle": ("", BODY_SIZE, "C"),
    "heading": ("B", 12.0, "L"),
    "subheading": ("B", BODY_SIZE, "L"),
    "note": ("I", 9.5, "L"),
    "right": ("", BODY_SIZE, "R"),
    "center": ("", BODY_SIZE, "C"),
}
SPACE_BEFORE = {"title": 2.0, "heading": 4.0, "subheading": 2.5}


class _Pdf(FPDF):
    running_head: str | None = None  # RunningHead: drawn on the pages a page break of the flow starts

    def header(self) -> None:
        if self.running_head:
            self.set_font(fonts.FAMILY, "I", 9.5)
            self.cell(0, 5, self.running_head, new_x="LMARGIN", new_y="NEXT")
            self.ln(1.5)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(fonts.FAMILY, "", 8.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"Страница {self.page_no()} из {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_pdf(doc: Document) -> bytes:
    """The whole document as PDF bytes (byte-identical for the same document)."""
    pdf = _Pdf(orientation="L" if doc.landscape else "P", unit="mm", format="A4")
    for style, path in fonts.font_files().items():
        pdf.add_font(fonts.FAMILY, style, str(path))
    pdf.set_creation_date(dt.datetime.combine(doc.date, dt.time(0, 0), tzinfo=dt.timezone.utc))
    pdf.set_title(doc.title)
    pdf.set_author(doc.author)
    pdf.set_creator("Завуч")
    pdf.set_producer("Завуч (fpdf2)")
    pdf.set_lang("ru")
    pdf.set_margins(20, 15, 12 if not doc.landscape else 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    widths = TextWidths(pdf)  # one cache of word widths for the whole document
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            _paragraph(pdf, block, widths)
        elif isinstance(block, Table):
            _table(pdf, block, widths)
        elif isinstance(block, Signature):
            if i == 0 or not isinstance(doc.blocks[i - 1], Signature):
                _keep_signatures_together(pdf, doc.blocks[i:])
            _signature(pdf, block)
        elif isinstance(block, PageBreak):
            pdf.running_head = None
            pdf.add_page()
        elif isinstance(block, RunningHead):
            pdf.running_head = block.text
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, p: Paragraph, widths: TextWidths) -> None:
    emphasis, size, align = STYLE[p.style]
    if p.bold and "B" not in emphasis:
        emphasis += "B"
    if p.style in ("heading", "subheading") and pdf.will_page_break(size * 3):
        pdf.add_page()  # keep a heading with the text under it
    pdf.ln(SPACE_BEFORE.get(p.style, 0.8))
    paragraph(pdf, p.text, emphasis=emphasis, size=size, align=align, line_height=size * 0.48, widths=widths)


def _table(pdf: FPDF, t: Table, widths: TextWidths) -> None:
    pdf.ln(1.5)
    draw_table(pdf, t, widths)
    pdf.ln(1.5)


SIGNATURE_GAP, SIGNATURE_LINE = 5.0, 5.5  # mm: space above a signature line, the line itself


def _signature_height(s: Signature) -> float:
    return SIGNATURE_GAP + SIGNATURE_LINE * (2 if s.seal else 1)


def _keep_signatures_together(pdf: FPDF, blocks: list) -> None:
    """Signatures that follow each other (class teacher, director, the seal) go on one page: a page that
    holds the director's signature but not the class teacher's cannot be certified (regulation 3.2)."""
    run = []
    for block in blocks:
        if not isinstance(block, Signature):
            break
        run.append(block)
    if pdf.will_page_break(sum(_signature_height(s) for s in run)):
        pdf.add_page()


def _signature(pdf: FPDF, s: Signature) -> None:
    pdf.ln(SIGNATURE_GAP)
    pdf.set_font(fonts.FAMILY, "", BODY_SIZE)
    width = pdf.epw
    pdf.multi_cell(width * 0.5, SIGNATURE_LINE, s.role, new_x="RIGHT", new_y="TOP")
    pdf.cell(width * 0.22, SIGNATURE_LINE, "______________", align="C")
    pdf.cell(width * 0.28, SIGNATURE_LINE, f"/{s.name}/", align="L", new_x="LMARGIN", new_y="NEXT")
    if s.seal:
        pdf.cell(width * 0.5, SIGNATURE_LINE, "М. П.", new_x="LMARGIN", new_y="NEXT")
