"""Document → DOCX bytes with python-docx: real styles (Title, Heading 1/2, Normal) and real tables whose
header row repeats on every page, so a deputy can edit before signing. The ZIP entries get the document's
date as their time, so the same document gives the same bytes."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.model import Document, PageBreak, Paragraph, RunningHead, Signature, Table

FONT = "PT Sans"
STYLE_NAMES = {"title": "Title", "heading": "Heading 1", "subheading": "Heading 2"}
ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}
PARA_ALIGN = {"body": WD_ALIGN_PARAGRAPH.JUSTIFY, "subtitle": WD_ALIGN_PARAGRAPH.CENTER,
              "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "title": WD_ALIGN_PARAGRAPH.CENTER}


def render_docx(doc: Document) -> bytes:
    """The whole document as DOCX bytes (byte-identical for the same document)."""
    d = new_docx()
    _setup(d, doc)
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            _paragraph(d, block)
        elif isinstance(block, Table):
            _table(d, block)
        elif isinstance(block, Signature):
            p = d.add_paragraph(f"{block.role}\t______________\t/{block.name}/")
            p.paragraph_format.space_before = Pt(14)
            # Word keeps a run of signatures (and the seal mark) on one page, as the PDF does
            following = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
            p.paragraph_format.keep_with_next = block.seal or isinstance(following, Signature) or None
            if block.seal:
                d.add_paragraph("М. П.")
        elif isinstance(block, PageBreak):
            if d.sections[-1].different_first_page_header_footer:  # a RunningHead is on: it ends here
                _new_section(d)
            else:
                d.add_page_break()
        elif isinstance(block, RunningHead):
            _running_head(d.sections[-1], block.text)
    raw = io.BytesIO()
    d.save(raw)
    return _fixed_zip(raw.getvalue(), doc.date)


def _setup(d, doc: Document) -> None:
    section = d.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(12 if not doc.landscape else 15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(16)
    for name, size in (("Normal", 11), ("Title", 13), ("Heading 1", 12), ("Heading 2", 11)):
        style = d.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        if name != "Normal":
            style.font.bold = True
            style.font.color.rgb = None
    d.styles["Normal"].paragraph_format.space_after = Pt(3)
    d.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = d.core_properties
    stamp = dt.datetime.combine(doc.date, dt.time(0, 0))
    props.title, props.author, props.last_modified_by = doc.title, doc.author, doc.author
    props.created = props.modified = stamp
    props.revision = 1
    props.language = "ru-RU"
    footers = [section.footer]
    if any(isinstance(b, RunningHead) for b in doc.blocks):  # its sections' first pages have their own footer
        section.first_page_footer.is_linked_to_previous = False
        footers.append(section.first_page_footer)
    for part in footers:
        footer = part.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Страница ")
        _field(footer, "PAGE")
        footer.add_run(" из ")
        _field(footer, "NUMPAGES")


def _running_head(section, text: str) -> None:
    """RunningHead: Word repeats the section's header on each page after its first (whose header stays empty)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.header.is_linked_to_previous = False
    run = section.header.paragraphs[0].add_run(text)
    run.italic = True
    run.font.size = Pt(9.5)


def _new_section(d) -> None:
    """A PageBreak after a RunningHead: a new section from a new page, with no running head of its own yet."""
    section = d.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    section.header.is_linked_to_previous = False


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.strip() == code else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _paragraph(d, p: Paragraph) -> None:
    style = STYLE_NAMES.get(p.style)
    para = d.add_paragraph(style=style) if style else d.add_paragraph()
    run = para.add_run(p.text)
    run.bold = p.bold or None
    if p.style == "note":
        run.italic = True
        run.font.size = Pt(9.5)
    if p.style in PARA_ALIGN:
        para.alignment = PARA_ALIGN[p.style]


def _table(d, t: Table) -> None:
    table = d.add_table(rows=1, cols=len(t.columns))
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = d.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    total = sum(c.width for c in t.columns)
    widths = [int(text_width * c.width / total) for c in t.columns]
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, column, width in zip(header.cells, t.columns, widths, strict=True):
        _cell(cell, column.title, "C", t.font_size, bold=True, width=width)
    template = None
    for i, values in enumerate(t.rows):
        if t.bold_last_row and i == len(t.rows) - 1:
            for cell, value, column, width in zip(table.add_row().cells, values, t.columns, widths, strict=True):
                _cell(cell, value, column.align, t.font_size, bold=True, width=width)
            continue
        if template is None:  # one body row through python-docx; the others are copies of it
            row = table.add_row()
            for cell, column, width in zip(row.cells, t.columns, widths, strict=True):
                _cell(cell, "", column.align, t.font_size, bold=False, width=width)
            template = copy.deepcopy(row._tr)
            tr = row._tr
        else:
            tr = copy.deepcopy(template)
            table._tbl.append(tr)
        for run, value in zip(tr.iter(qn("w:r")), values, strict=True):
            run.text = value
    d.add_paragraph()


def _cell(cell, text: str, align: str, size: float, *, bold: bool, width: int) -> None:
    cell.width = width
    para = cell.paragraphs[0]
    para.alignment = ALIGN[align]
    para.paragraph_format.space_after = Pt(0)
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None


def _fixed_zip(data: bytes, day: dt.date) -> bytes:
    """Rewrite the DOCX ZIP with every entry dated `day`, in the same order."""
    out = io.BytesIO()
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
