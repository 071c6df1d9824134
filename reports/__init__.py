"""Завуч documents: справка, приказ, сводные ведомости, weekly printouts for parents (issue 5).

Each builder returns a reports.model.Document; render_pdf / render_docx turn any Document into bytes.
The deck calls the same functions (see docs/documents.md). Nothing here imports streamlit.
"""

from reports.model import Document
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf

__all__ = ["Document", "render_docx", "render_pdf"]
