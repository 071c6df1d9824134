"""The documents read as a deputy signing them, a parent and an inspector would read them (schools built in
code, tests/metrics_fixtures.py; the demo school for the layout of the сводные ведомости):

- invalid entries are invalid under п. 4.4 of the *регламент* ведения ЭЖ, not of a «положение» (the
  school's «Положение о текущем контроле» is another act); the forecast letter cites the регламент of the
  electronic diary (annex 3), not a «положение о ведении электронного журнала»;
- a check of one teacher says so (object, kind of control), and a list of one teacher is singular;
- a справка of nothing (no held lesson in the scope, or a check dated before its period) is refused in words;
- a сводная ведомость or a printout is for a whole class, not a subgroup;
- each class's сводная ведомость is one page with both signatures and the seal mark.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from reports import forecast_letter, prikaz, render_docx, render_pdf, spravka, svodnaya, weekly
from tests.metrics_fixtures import AS_OF, D, T, school

NORMS = load_norms()


def _paragraphs(document) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs]


def _spravka(s, **scope) -> spravka.Spravka:
    return spravka.build(s.con, queries.Scope(period_id="p1", **scope),
                         spravka.SpravkaOptions(date=AS_OF, norms=NORMS))


def test_invalid_entries_cite_the_regulation_not_a_polozhenie() -> None:
    s = school()
    s.insert("account_incidents", person_id="t_math", reported_at=T(2025, 10, 1, 12, 0), description="пароль")
    lesson = s.lesson("5a", "math", D(2025, 10, 2))  # topic, roll and the mark entered after the report
    s.mark(lesson, "a1", "5")
    s.period_mark("a2", "math", "5a", "4")
    s.con.execute("UPDATE final_marks SET entered_by = 't_math', entered_at_precision = 'second'")
    sp = _spravka(s)
    texts = {"справка": " ".join(_paragraphs(sp.document)),
             "приказ": " ".join(_paragraphs(prikaz.build(sp))),
             "ведомость": " ".join(_paragraphs(svodnaya.build(s.con, "s1", period_id="p1", date=AS_OF))),
             "распечатка": " ".join(_paragraphs(weekly.build(s.con, "s1", "5a", D(2025, 9, 29))))}
    for what, text in texts.items():
        assert "п. 4.4 регламента" in text, what
        assert "положени" not in text, what
    assert "По п. 4.4 регламента операции, произведённые учётной записью" in texts["справка"]
    assert "Признать недействительными (п. 4.4 регламента) записи электронного журнала" in texts["приказ"]


