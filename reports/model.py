"""A document as a list of blocks, rendered the same way to PDF (render_pdf) and DOCX (render_docx).

Builders (spravka, prikaz, svodnaya, weekly) produce a Document; the renderers own all layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["L", "C", "R"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "title", "subtitle", "heading", "subheading", "note", "right", "center"] = "body"
    bold: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width; a table's widths are scaled to the text width
    align: Align = "L"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    font_size: float = 9.0
    bold_last_row: bool = False  # a «Итого» row
    compact: bool = False  # tight rows, for a class list that must fit one page


@dataclass(frozen=True)
class Signature:
    """«Заместитель директора по УВР ____________ /Егорова В. М./»"""

    role: str
    name: str
    seal: bool = False  # «М. П.» under the line: where the seal goes (a director's signature on a ведомость)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class RunningHead:
    """A line at the top of every further page of what follows, up to the next PageBreak: a student's
    printout that runs onto a second sheet names the student there too."""

    text: str


Block = Paragraph | Table | Signature | PageBreak | RunningHead


@dataclass
class Document:
    title: str  # metadata title and the file's subject
    date: dt.date  # the document's date: also its fixed creation date, so output is byte-identical
    author: str = ""
    landscape: bool = False
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
