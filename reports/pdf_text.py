"""Text on an fpdf2 page without fpdf2's line breaker: words measured once, lines wrapped once.

fpdf2 breaks lines character by character and re-measures the growing line at every character, so a
line of n characters costs about n²/2 width look-ups; the справка's long paragraphs (lists of teachers)
and its tables spent most of the PDF time there. Here each distinct word is measured once per font
and size (TextWidths), a text is wrapped greedily at ordinary spaces (a non-breaking space keeps
«Фамилия И. О.» together; a word wider than the line is broken between characters), and lines are
placed with FPDF.text(). Justified lines place their words so both edges are flush, like multi_cell.
"""

from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF

from reports import fonts

BASELINE = 0.3  # × font size below a line's middle: where fpdf2 puts the baseline of a cell's text


NBSP = "\u00a0"


class TextWidths:
    """Widths (mm) of strings in the document's font, each measured once per emphasis and size.

    Measuring selects that font on the page: callers set the font they draw with after measuring."""

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


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of `text` no wider than `width`: greedy at ordinary spaces and line feeds. Non-breaking
    spaces keep a name whole on a line; a word or name wider than the whole line breaks at its last
    non-breaking space or after its last hyphen that fits, else between characters."""
    lines: list[str] = []
    space = measure(" ")
    for part in text.split("\n"):
        line, line_width = "", 0.0
        for word in (w for w in part.split(" ") if w):
            word_width = measure(word)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            while word_width > width and len(word) > 1:
                head, head_width = word[0], measure(word[0])
                for ch in word[1:]:
                    ch_width = measure(ch)
                    if head_width + ch_width > width:
                        break
                    head, head_width = head + ch, head_width + ch_width
                # «Средне-» / «взвешенный» rather than «Средне-взве» / «шенный»; a name too long for its cell
                # breaks between surname and initials, not inside the surname
                after_hyphen = word.rfind("-", 0, len(head)) + 1
                nbsp = word.rfind(NBSP, 1, len(head) + 1)
                if nbsp > 0 and nbsp >= after_hyphen:
                    lines.append(word[:nbsp])
                    word = word[nbsp + 1:]
                else:
                    cut = after_hyphen or len(head)
                    lines.append(word[:cut])
                    word = word[cut:]
                word_width = measure(word)
            line, line_width = word, word_width
        lines.append(line)
    return lines


def draw_lines(pdf: FPDF, lines: list[str], *, left: float, width: float, top: float, line_height: float,
               align: str, measure: Callable[[str], float], ends_paragraph: bool = True) -> None:
    """Lines from `top` down, one every `line_height`, in the current font. "J" justifies every line
    but a paragraph's last (as multi_cell does); "L", "C", "R" align each line in the box."""
    baseline = top + 0.5 * line_height + BASELINE * pdf.font_size
    for i, line in enumerate(lines):
        if line:
            y = baseline + i * line_height
            words = line.split(" ")
            if align == "J" and (i < len(lines) - 1 or not ends_paragraph) and len(words) > 1:
                gap = (width - sum(measure(w) for w in words)) / (len(words) - 1)
                x = left
                for word in words:
                    pdf.text(x, y, word)
                    x += measure(word) + gap
            elif align in ("L", "J"):
                pdf.text(left, y, line)
            else:
                free = width - measure(line)
                pdf.text(left + (free if align == "R" else free / 2), y, line)


def paragraph(pdf: FPDF, text: str, *, emphasis: str, size: float, align: str, line_height: float,
              widths: TextWidths) -> None:
    """A paragraph across the text width (inside fpdf2's cell margins) from the current position,
    continuing on a new page when a line does not fit; the cursor ends at the left margin below it."""
    def measure(s: str) -> float:
        return widths(emphasis, size, s)

    left, width = pdf.l_margin + pdf.c_margin, pdf.epw - 2 * pdf.c_margin
    lines = wrap(text, width, measure)
    start = 0
    while start < len(lines):
        room = int((pdf.page_break_trigger - pdf.y) // line_height)
        if room < 1:
            pdf.add_page()
            continue
        chunk = lines[start:start + room]
        pdf.set_font(fonts.FAMILY, emphasis, size)
        draw_lines(pdf, chunk, left=left, width=width, top=pdf.y, line_height=line_height, align=align,
                   measure=measure, ends_paragraph=start + len(chunk) == len(lines))
        pdf.set_xy(pdf.l_margin, pdf.y + len(chunk) * line_height)
        start += len(chunk)
