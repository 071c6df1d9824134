"""A pupil exempt from a subject gets no forecast in it (no period mark is expected), as far as the journal
shows at D: «осв» for the previous period and no mark since, or «ОСВ» on every lesson held so far. Before,
the demo's PE-exempt pupils had «Прогноз 4» with «нет отметок» in semester 2, and a pupil marked «ОСВ»
throughout was «н/а» with risk 100 % — in the letter to the parents of a medically exempt child."""

from __future__ import annotations

import datetime as dt

import polars as pl

from etl.norms import load_norms
from queries.forecast import student_forecasts
from queries.scope import Scope
from tests.metrics_fixtures import SEM, D, school

AS_OF = D(2025, 11, 14)


def test_exempt_pupils_have_no_forecast_and_count_in_no_class_pace() -> None:
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
    rows = student_forecasts(s.con, Scope(group_id="5a", subject_id="pe"), AS_OF, load_norms())
    assert sorted(rows["student_id"]) == ["a3", "a4"]
    for r in rows.iter_rows(named=True):
        assert (r["n_marks"], r["lessons_so_far"], r["forecast_mark"]) == (held, held, "5")
        assert not r["few_marks"] and not r["teacher_pace_short"]
    # one «ОСВ» short of every lesson: a2 is a pupil without marks again, his own shortfall his risk
    s.con.execute("DELETE FROM attendance WHERE student_id = 'a2' AND lesson_date = (SELECT max(lesson_date) "
                  "FROM attendance WHERE student_id = 'a2')")
    a2 = student_forecasts(s.con, Scope(group_id="5a", subject_id="pe"), AS_OF, load_norms()).filter(
        pl.col("student_id") == "a2").row(0, named=True)
    assert a2["n_marks"] == 0 and a2["own_few_marks"] and a2["forecast_mark"] == "н/а"
