"""A model Table drawn on an fpdf2 page: words measured once, each row wrapped once, drawn as boxes and text.

fpdf2's own table lays every cell out twice (a dry run for the row height, then for real) and its line
breaker re-measures the growing line at every character; on the справка's tables that was most of the
PDF time. Here each distinct word is measured once per font, rows are wrapped at spaces with a fixed
line height, and drawn with rect() and text(). The look stays: a shaded bold header row repeated on
every page the table continues on, zebra rows, per-column alignment, a bold «Итого» row. A non-breaking
space keeps «Фамилия И. О.» on one line; a word wider than its column is broken between characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from reports import fonts
from reports.model import Table

HEADING_FILL = (226, 232, 240)
ZEBRA_FILL = (247, 248, 250)
_BASELINE = 0.3  # × font size below a line's middle: where fpdf2 puts a cell's baseline


class TextWidths:
    """Widths of strings in the document's font, each measured once per emphasis and size."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._cache: dict[tuple[str, float, str], float] = {}

    def __call__(self, emphasis: str, size: float, text: str) -> float:
        key = (emphasis, size, text)
        width = self._cache.get(key)
        if width is None:
            self.pdf.set_font(fonts.FAMILY, emphasis, size)
            width = self._cache[key] = self.pdf.get_string_width(text)
        return width


def wrap(text: str, width: float, measure) -> list[str]:
    """Lines of `text` no wider than `width` (mm): greedy at ordinary spaces, a too-long word by characters."""
    lines: list[str] = []
    space = measure(" ")
    for part in text.split("\n"):
        line, line_width = "", 0.0
        for word in part.split():
            word_width = measure(word)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            while word_width > width and len(word) > 1:
                head, head_width = word[0], measure(word[0])
                for ch in word[1:]:
                    w = measure(ch)
                    if head_width + w > width:
                        break
                    head, head_width = head + ch, head_width + w
                lines.append(head)
                word = word[len(head):]
                word_width = measure(word)
            line, line_width = word, word_width
        lines.append(line)
    return lines


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

    def __init__(self, pdf: FPDF, t: Table) -> None:
        total = sum(c.width for c in t.columns)
        self.pdf, self.size = pdf, t.font_size
        self.widths = [pdf.epw * c.width / total for c in t.columns]
        self.pad = 0.4 if t.compact else 0.8
        self.line_height = t.font_size * (0.42 if t.compact else 0.5)
        self.measure = TextWidths(pdf)

    def row(self, values: tuple[str, ...], emphasis: str, aligns: tuple[str, ...], fill) -> _Row:
        def width(s: str) -> float:
            return self.measure(emphasis, self.size, s)
        return _Row(tuple(wrap(v, w - 2 * self.pad, width) for v, w in zip(values, self.widths, strict=True)),
                    emphasis, aligns, fill)

    def height(self, r: _Row) -> float:
        return r.lines() * self.line_height + 2 * self.pad

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
        baseline = y + pad + 0.5 * self.line_height + _BASELINE * pdf.font_size
        x = pdf.l_margin
        for lines, w, align in zip(r.cells, self.widths, r.aligns, strict=True):
            for k, line in enumerate(lines):
                if not line:
                    continue
                if align == "L":
                    left = x + pad
                else:
                    width = self.measure(r.emphasis, self.size, line)
                    left = x + w - pad - width if align == "R" else x + (w - width) / 2
                pdf.text(left, baseline + k * self.line_height, line)
            x += w
        pdf.set_xy(pdf.l_margin, y + h)


def draw_table(pdf: FPDF, t: Table) -> None:
    """Draw `t` across the text width from the current position, breaking pages between rows."""
    g = _Grid(pdf, t)
    header = g.row(tuple(c.title for c in t.columns), "B", ("C",) * len(t.columns), HEADING_FILL)
    aligns = tuple(c.align for c in t.columns)
    body = [g.row(values, "B" if t.bold_last_row and i == len(t.rows) - 1 else "", aligns,
                  ZEBRA_FILL if i % 2 == 0 else None) for i, values in enumerate(t.rows)]

    def new_page() -> None:
        pdf.add_page()
        g.draw(header)

    first = g.height(header) + (g.height(body[0]) if body else 0)
    if pdf.y + first > pdf.page_break_trigger and pdf.y > pdf.t_margin:
        pdf.add_page()  # never a header alone at the foot of a page
    g.draw(header)
    page_room = pdf.page_break_trigger - pdf.t_margin - g.height(header)
    for r in body:
        while True:
            room = pdf.page_break_trigger - pdf.y
            if g.height(r) <= room:
                g.draw(r)
                break
            fits = int((room - 2 * g.pad) // g.line_height)
            if g.height(r) <= page_room or fits < 1:
                new_page()
                continue
            # A row taller than a whole page: what fits here, the rest on the next page.
            g.draw(_Row(tuple(c[:fits] for c in r.cells), r.emphasis, r.aligns, r.fill))
            r = _Row(tuple(c[fits:] for c in r.cells), r.emphasis, r.aligns, r.fill)
            new_page()
