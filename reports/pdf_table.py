"""A model Table drawn on an fpdf2 page: each row wrapped once (reports.pdf_text), drawn as boxes and text.

fpdf2's own table lays every cell out twice (a dry run for the row height, then for real) with its
character-by-character line breaker; on the справка's tables that was most of the PDF time. The look
stays: a shaded bold header row repeated on every page the table continues on, zebra rows, per-column
alignment, a bold «Итого» row, a fixed line height; a row taller than a page continues on the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from reports import fonts
from reports.model import Table
from reports.pdf_text import TextWidths, draw_lines, wrap

HEADING_FILL = (226, 232, 240)
ZEBRA_FILL = (247, 248, 250)


@dataclass(frozen=True)
class _Row:
    cells: tuple[list[str], ...]  # wrapped lines per cell
    emphasis: str
    aligns: tuple[str, ...]
    fill: tuple[int, int, int] | None

    def lines(self) -> int:
        return max(len(c) for c in self.cells)


class _Grid:
    """One table's geometry: column widths, padding, line height, font size, and its word widths."""

    def __init__(self, pdf: FPDF, t: Table, widths: TextWidths) -> None:
        total = sum(c.width for c in t.columns)
        self.pdf, self.size = pdf, t.font_size
        self.widths = [pdf.epw * c.width / total for c in t.columns]
        self.pad = 0.3 if t.compact else 0.8  # left and right of a cell's text
        # above and below it: a compact row is its line and 0.15 mm either side (3.5 mm at 8 pt), so a busy
        # week's printout (26 marks and 26 tasks) stays one sheet without smaller text
        self.pad_y = 0.15 if t.compact else 0.8
        self.line_height = t.font_size * (0.40 if t.compact else 0.5)
        self.measure = widths

    def row(self, values: tuple[str, ...], emphasis: str, aligns: tuple[str, ...], fill) -> _Row:
        def width(s: str) -> float:
            return self.measure(emphasis, self.size, s)
        return _Row(tuple(wrap(v, w - 2 * self.pad, width) for v, w in zip(values, self.widths, strict=True)),
                    emphasis, aligns, fill)

    def height(self, r: _Row) -> float:
        return r.lines() * self.line_height + 2 * self.pad_y

    def draw(self, r: _Row) -> None:
        """Boxes (shaded when the row is), then each line at fpdf2's baseline; the cursor ends below the row."""
        pdf, pad = self.pdf, self.pad
        h = self.height(r)
        x, y = pdf.l_margin, pdf.y
        if r.fill:  # the whole row's shade first, so no cell's fill covers a neighbour's border
            pdf.set_fill_color(*r.fill)
            pdf.rect(x, y, sum(self.widths), h, style="F")
        for w in self.widths:
            pdf.rect(x, y, w, h, style="D")
            x += w
        pdf.set_font(fonts.FAMILY, r.emphasis, self.size)

        def measure(text: str) -> float:
            return self.measure(r.emphasis, self.size, text)
        x = pdf.l_margin
        for lines, w, align in zip(r.cells, self.widths, r.aligns, strict=True):
            draw_lines(pdf, lines, left=x + pad, width=w - 2 * pad, top=y + self.pad_y, line_height=self.line_height,
                       align=align, measure=measure)
            x += w
        pdf.set_xy(pdf.l_margin, y + h)


def draw_table(pdf: FPDF, t: Table, widths: TextWidths) -> None:
    """Draw `t` across the text width from the current position, breaking pages between rows."""
    g = _Grid(pdf, t, widths)
    header = g.row(tuple(c.title for c in t.columns), "B", ("C",) * len(t.columns), HEADING_FILL)
    aligns = tuple(c.align for c in t.columns)
    body = [g.row(values, "B" if t.bold_last_row and i == len(t.rows) - 1 else "", aligns,
                  ZEBRA_FILL if i % 2 == 0 else None) for i, values in enumerate(t.rows)]

    def new_page() -> None:
        pdf.add_page()
        g.draw(header)

    page_room = pdf.page_break_trigger - pdf.t_margin - g.height(header)  # for rows under a header
    if body:  # never a header alone at the foot of a page: the first row, or a line of it if it is huge
        first = g.height(body[0]) if g.height(body[0]) <= page_room else g.line_height + 2 * g.pad_y
        if pdf.y + g.height(header) + first > pdf.page_break_trigger:
            pdf.add_page()
    g.draw(header)
    for r in body:
        while True:
            room = pdf.page_break_trigger - pdf.y
            if g.height(r) <= room:
                g.draw(r)
                break
            fits = int((room - 2 * g.pad_y) // g.line_height)
            if g.height(r) <= page_room or fits < 1:
                new_page()
                continue
            # A row taller than a whole page: what fits here, the rest on the next page.
            g.draw(_Row(tuple(c[:fits] for c in r.cells), r.emphasis, r.aligns, r.fill))
            r = _Row(tuple(c[fits:] for c in r.cells), r.emphasis, r.aligns, r.fill)
            new_page()
