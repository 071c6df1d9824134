"""Cached documents for the deck's Справки page, built by `reports/` on the user's restricted connection
(queries.access), per warehouse version: the справка with its preview and the draft приказ, and a class's
сводная ведомость. The page only shows and offers what is returned here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

import queries
from dashboard import data
from etl.norms import load_norms
from queries.access import FULL, Access
from reports import prikaz, render_docx, render_pdf, spravka, svodnaya
from reports.model import Paragraph
from reports.text import short_date

PDF, DOCX = "pdf", "docx"


@dataclass(frozen=True)
class SpravkaFiles:
    """The справка in the chosen format, the draft приказ (DOCX, to edit) and what the preview shows."""

    spravka: bytes
    prikaz_docx: bytes
    paragraphs: tuple[tuple[str, str], ...]  # (style, text) of the справка's paragraphs, in order
    violators: pl.DataFrame  # Учитель, Устранить, Срок: the personal recommendations
    n_exemplary: int
    n_named: int


def _render(doc, fmt: str) -> bytes:
    return render_pdf(doc) if fmt == PDF else render_docx(doc)


def spravka_options(date: dt.date, signer: str | None) -> spravka.SpravkaOptions:
    """The options the page builds with (the school's templates and norms); tests build the same."""
    return spravka.SpravkaOptions(date=date, signer=signer or None, norms=load_norms())


@st.cache_data(max_entries=16, show_spinner="Составляю справку…")
def spravka_files(ver: data.Version, scope: queries.Scope, date: dt.date, signer: str | None, fmt: str,
                  access: Access = FULL) -> SpravkaFiles:
    """reports.spravka.build for `scope` checked on `date`, rendered; raises queries.ScopeError and the
    norms / templates errors with their Russian messages."""
    with data.connected(ver, access) as con:
        s = spravka.build(con, scope, spravka_options(date, signer))
    deadline = short_date(spravka.fix_deadline(s.options))
    violators = pl.DataFrame(
        {"Учитель": [s.names.person(t) for t in s.violators],
         "Устранить": [spravka.personal_breaches(s.findings, t, s.options.norms) for t in s.violators],
         "Срок": [deadline] * len(s.violators)}, schema={"Учитель": pl.String, "Устранить": pl.String,
                                                         "Срок": pl.String})
    paragraphs = tuple((b.style, b.text) for b in s.document.blocks if isinstance(b, Paragraph))
    return SpravkaFiles(spravka=_render(s.document, fmt), prikaz_docx=render_docx(prikaz.build(s)),
                        paragraphs=paragraphs, violators=violators, n_exemplary=len(s.exemplary),
                        n_named=len(s.named_teachers))


@st.cache_data(max_entries=16, show_spinner="Составляю сводную ведомость…")
def svodnaya_file(ver: data.Version, school_id: str, period_id: str, group_id: str, date: dt.date, fmt: str,
                  access: Access = FULL) -> bytes | None:
    """The class's сводная ведомость for the period on `date`; None when the class has no period marks."""
    with data.connected(ver, access) as con:
        doc = svodnaya.build(con, school_id, period_id=period_id, group_id=group_id, date=date, norms=load_norms())
    return _render(doc, fmt) if doc.blocks else None
