"""The deck's Справки page in AppTest on the demo school (2nd semester, check date 10.06.2026): the offered
справка is byte-identical to reports.spravka.build + render for the same scope, date and signer (PDF and
DOCX), the draft приказ and a class's сводная ведомость likewise, the preview lists exactly the справка's
violators, and taking a download writes a «документ» entry to the audit log."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from access import audit
from access.store import open_store, resolve_store_path
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries.scope import Scope
from reports import prikaz, render_docx, render_pdf, spravka, svodnaya
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
PERIOD, SCHOOL, CLASS_5A = "s001-per-s2", "s001", "s001-g029"
D = dt.date(2026, 6, 10)
SIGNER = "Петрова А. Н."


@pytest.fixture(scope="module")
def demo_copy(demo_school, tmp_path_factory):
    """The demo warehouse in a private folder (the deck keeps its access store and audit log next to it)."""
    db = tmp_path_factory.mktemp("deck-documents") / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    return db


@pytest.fixture(scope="module")
def expected(demo_copy) -> spravka.Spravka:
    con = connect_readonly(demo_copy)
    try:
        return spravka.build(con, Scope(period_id=PERIOD, school_id=SCHOOL),
                             spravka.SpravkaOptions(date=D, signer=SIGNER, norms=load_norms()))
    finally:
        con.close()


def _documents_page(db, fmt: str = "pdf", query: dict[str, str] | None = None) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    os.environ.pop("ZAVUCH_ACCESS_DB", None)
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["period"] = PERIOD
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/documents.py").run()
    at.date_input(key="doc_date").set_value(D)
    at.text_input(key="doc_signer").input(SIGNER)
    at.radio(key="doc_format").set_value(fmt).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Справки"]
    return at


def _violators(at: AppTest):
    """The preview's table of violators (the page may also list invalid entries, regulation 4.4)."""
    return next(d.value for d in at.dataframe if "Устранить" in d.value)


def test_pdf_and_prikaz_are_the_builders_bytes_and_preview_lists_the_violators(demo_copy, expected):
    at = _documents_page(demo_copy)
    offered = at.session_state["_documents"]
    assert offered["doc_spravka"][:5] == b"%PDF-"
    assert offered["doc_spravka"] == render_pdf(expected.document)
    assert offered["doc_prikaz"] == render_docx(prikaz.build(expected))
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Скачать справку (PDF)", "Скачать проект приказа (DOCX)"]  # no class chosen: no ведомость

    violators = _violators(at)
    assert len(expected.violators) > 0 and len(violators) == len(expected.violators)
    assert violators["Учитель"].tolist() == [expected.names.person(t) for t in expected.violators]
    norms = expected.options.norms
    assert violators["Устранить"].tolist() == [spravka.personal_breaches(expected.findings, t, norms)
                                               for t in expected.violators]
    assert set(violators["Срок"]) == {"24.06.2026"}  # check date + templates fix_days (14)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Учителей с нарушениями"] == str(len(expected.violators))
    assert tiles["Учителей без нарушений"] == str(len(expected.exemplary))
    text = " ".join(m.value for m in at.markdown)
    assert "В ходе проверки установлено" in text and "Выводы" in text


def test_docx_format_and_class_sheet(demo_copy, expected):
    at = _documents_page(demo_copy, "docx", {"class": CLASS_5A})
    offered = at.session_state["_documents"]
    con = connect_readonly(demo_copy)
    try:
        s = spravka.build(con, Scope(period_id=PERIOD, school_id=SCHOOL, group_id=CLASS_5A),
                          spravka.SpravkaOptions(date=D, signer=SIGNER, norms=load_norms()))
        sheet = svodnaya.build(con, SCHOOL, period_id=PERIOD, group_id=CLASS_5A, date=D, norms=load_norms())
    finally:
        con.close()
    assert offered["doc_spravka"] == render_docx(s.document) != render_docx(expected.document)
    assert offered["doc_svodnaya"] == render_docx(sheet)
    assert _violators(at)["Учитель"].tolist() == [s.names.person(t) for t in s.violators]


def test_taking_a_download_is_audited(demo_copy):
    at = _documents_page(demo_copy)
    at.download_button(key="doc_spravka").click().run()
    assert not at.exception
    with open_store(resolve_store_path(demo_copy)) as con:
        log = audit.entries(con)
    docs = log.filter(pl.col("action") == "document")
    assert docs.height >= 1
    detail = json.loads(docs["detail"][0])
    assert detail["command"] == "spravka" and detail["file"] == "spravka-2026-06-10.pdf"
    assert detail["format"] == "pdf" and detail["date"] == "2026-06-10" and detail["signer"] == SIGNER
    assert detail["view"].startswith("2 семестр")
