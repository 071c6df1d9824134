"""A pupil exempt from a subject gets no forecast in it (no period mark is expected), as far as the journal
shows at D: «осв» for the previous period and no mark since, or «ОСВ» on every lesson held so far. Before,
the demo's PE-exempt pupils had «Прогноз 4» with «нет отметок» in semester 2, and a pupil marked «ОСВ»
throughout was «н/а» with risk 100 % — in the letter to the parents of a medically exempt child."""

from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl
from pypdf import PdfReader

from etl.norms import load_norms
from queries.forecast import student_exemptions, student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_pdf
from tests.metrics_fixtures import SEM, D, School, school

AS_OF = D(2025, 11, 14)


def _school() -> tuple[School, int]:
    """a1 and a3 exempt from PE last semester, a3 marked in it now; a2 «ОСВ» on every PE lesson held."""
    s = school()
    for pupil in ("a1", "a3"):  # exempt from PE in the previous semester
        s.period_mark(pupil, "pe", "4a", "осв", period="p0", entered_at=dt.datetime(2025, 5, 28, 10, 0))
    s.period_mark("a4", "pe", "4a", "5", period="p0", entered_at=dt.datetime(2025, 5, 28, 10, 0))
    day, held = SEM[1], 0
    while day <= SEM[2]:
        if day.weekday() in (0, 3):  # PE twice a week
            lesson = s.lesson("5a", "pe", day, 4, teacher="t_sub", status="held" if day <= AS_OF else "planned")
            if day <= AS_OF:
                held += 1
                s.absent(lesson, "a2", "ОСВ")  # excused from every lesson held so far
                for pupil in ("a3", "a4"):  # a3 was exempt last semester but takes part now
                    s.mark(lesson, pupil, "5")
        day += dt.timedelta(days=1)
    s.con.execute("UPDATE attendance SET recorded_at = lesson_date + INTERVAL 9 HOUR")
    return s, held


def test_exempt_pupils_have_no_forecast_and_count_in_no_class_pace() -> None:
    s, held = _school()
    rows = student_forecasts(s.con, Scope(group_id="5a", subject_id="pe"), AS_OF, load_norms())
    assert sorted(rows["student_id"]) == ["a3", "a4"]
    for r in rows.iter_rows(named=True):
        assert (r["n_marks"], r["lessons_so_far"], r["forecast_mark"]) == (held, held, "5")
        assert not r["few_marks"] and not r["teacher_pace_short"]
    # one «ОСВ» short of every lesson: a2 is a pupil without marks again, short of marks on his own; with 13
    # lessons left at the course's pace of a mark a lesson he can still make it up: no mark is forecast (not a
    # certain «н/а» to his parents), and the reasons say how many marks it takes
    s.con.execute("DELETE FROM attendance WHERE student_id = 'a2' AND lesson_date = (SELECT max(lesson_date) "
                  "FROM attendance WHERE student_id = 'a2')")
    a2 = student_forecasts(s.con, Scope(group_id="5a", subject_id="pe"), AS_OF, load_norms()).filter(
        pl.col("student_id") == "a2").row(0, named=True)
    assert a2["n_marks"] == 0 and a2["own_few_marks"] and a2["forecast_mark"] is None and a2["risk"] < 0.5
    assert a2["reasons"].startswith("нет отметок (нужно не менее ")


def test_the_letter_says_the_pupil_is_exempt_from_the_subject() -> None:
    """The subject a pupil is exempt from had no row in the letter to the parents: PE vanished from a1's and
    a2's pages without a word. The letter now lists it with «осв» and how the journal shows it."""
    s, held = _school()
    s.con.execute("UPDATE people SET sex = 'f' WHERE id = 'a2'")
    freed = student_exemptions(s.con, Scope(group_id="5a"), AS_OF, load_norms())
    assert freed.select("student_id", "subject_name", "previous_exempt", "lessons_exempt").sort("student_id").rows() \
        == [("a1", "Физическая культура", True, 0), ("a2", "Физическая культура", False, held)]
    pdf = render_pdf(forecast_letter.build(s.con, "5a", AS_OF, load_norms()))
    pages = {re.search(r"Учени(?:к|ца): (\S+)", t).group(1): t for t in (
        re.sub(r"\s+", " ", p.extract_text().replace("\u00a0", " ")) for p in PdfReader(io.BytesIO(pdf)).pages)}
    assert "Физическая культура нет — — осв — освобождён: «осв» за прошлый период, отметок с тех пор нет —" \
        in pages["Алексеев"]
    assert (f"Физическая культура нет — — осв — освобождена: «ОСВ» на всех {held} проведённых уроках —"
            in pages["Борисова"])
    assert "Физическая культура" in pages["Васильев"] and "освобожд" not in pages["Васильев"]  # marked now
