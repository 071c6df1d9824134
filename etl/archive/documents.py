"""The documents that go to the archive with the data (regulation 2.15, 2.17, 3.2): the year's сводные
ведомости and, per reporting period, the сводная ведомость and the справка по итогам проверки.

Built by reports/ exactly as `zavuch vedomost` and `zavuch spravka` build them; nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

import queries
from etl.archive import sql
from etl.archive.errors import ArchiveError
from etl.norms import NormsError
from reports import render_pdf, spravka, svodnaya
from reports.templates import TemplatesError

DOCS_DIR = "documents"


@dataclass(frozen=True)
class ArchiveDocument:
    path: str  # inside the archive
    title: str
    pdf: bytes


def build_documents(con: duckdb.DuckDBPyConnection, school_id: str, year_id: str, date: dt.date,
                    norms: dict[str, Any]) -> list[ArchiveDocument]:
    """Year сводные ведомости, then for each period its сводные ведомости and its справка, as PDF."""
    periods = sql.relation(con, "lookup/periods", {"year_id": year_id}).fetchall()
    out: list[ArchiveDocument] = []
    try:
        year_doc = svodnaya.build(con, school_id, academic_year_id=year_id, date=date, norms=norms)
        if year_doc.blocks:
            out.append(ArchiveDocument(f"{DOCS_DIR}/svodnaya-god.pdf", year_doc.title, render_pdf(year_doc)))
        for period_id, _name, _kind, _g_from, _g_to in periods:
            sheet = svodnaya.build(con, school_id, period_id=period_id, date=date, norms=norms)
            if sheet.blocks:
                out.append(ArchiveDocument(f"{DOCS_DIR}/svodnaya-{_safe(period_id)}.pdf", sheet.title,
                                           render_pdf(sheet)))
            s = spravka.build(con, queries.Scope(period_id=period_id, school_id=school_id),
                              spravka.SpravkaOptions(date=date, norms=norms))
            out.append(ArchiveDocument(f"{DOCS_DIR}/spravka-{_safe(period_id)}.pdf", s.document.title,
                                       render_pdf(s.document)))
    except (queries.ScopeError, NormsError, TemplatesError) as e:
        raise ArchiveError(f"документы для архива не построены: {e}") from None
    return out


def _safe(name: str) -> str:
    """A file-name-safe form of an id (ids come from other systems: 'dnevnik_ru:1234')."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
