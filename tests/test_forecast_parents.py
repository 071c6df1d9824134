"""The forecast as a class teacher and the parents read it: one figure per pupil, whoever looks and under any
filter, rounded by the one rule (etl.rounding, half up) in the reasons, the tables and the letter.

School built here (tests/metrics_fixtures.py; semester 1 of 2025/2026, D = 24.10.2025): Литература of 5А on
Tuesdays and Thursdays, 16 lessons held by D; a1 misses 5 of them (31,25 %) and has eight marks summing to 25
(average 3,125); a2 has five marks averaging 3,4, a3 a «4» every Tuesday, and a4 misses the first 9 lessons
(56,25 %: «н/а» by the rule) and has a «4» every Tuesday after. Математика of 5Б, marked on Tuesdays
alternately «2» and «5», and its Литература from 16.10.2025, when the mover comes from 5А with two «5»
in 5А's Литература (and gets a «4» in 5Б's): a wide spread in another class, which the rule's spread of marks must see whatever
the filter or the role (the rule pools the spread over the school).
"""

from __future__ import annotations

import io
import re

import docx
import polars as pl
import pytest

from dashboard import fmt
from etl.norms import load_norms
from queries.access import Access, connection
from queries.forecast import marks_so_far, student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_docx
from tests.metrics_fixtures import D, school, school_days

AS_OF = D(2025, 10, 24)
A1_MARKS = ("3", "3", "3", "3", "3", "3", "3", "4")  # 25 / 8 = 3,125
A2_MARKS = ["4", "3", "4", "3", "3"]  # 3,4: near the «4» threshold (3,5), where the spread of marks decides


def _build():
    s = school()
    held = [d for d in school_days((1, 3)) if d <= AS_OF]
    assert len(held) == 16  # the share 5 / 16 = 0,3125 below rests on it
    a1_marks, a2_marks = iter(A1_MARKS), list(A2_MARKS)
    for n, day in enumerate(school_days((1, 3))):
        lesson = s.lesson("5a", "lit", day, 3, teacher="t_eng", status="held" if day <= AS_OF else "planned")
        if day > AS_OF:
            continue
        if n < 5:
            s.absent(lesson, "a1", "Н")
        elif n < 13:
            s.mark(lesson, "a1", next(a1_marks))
        if n < 9:
            s.absent(lesson, "a4", "Н")
        if day.weekday() == 1:
            for pupil in ("a3", "a4") if n >= 9 else ("a3",):
                s.mark(lesson, pupil, "4")
            if a2_marks:
                s.mark(lesson, "a2", a2_marks.pop(0))
        if n in (0, 2):  # the mover, still in 5А
            s.mark(lesson, "mover", "5")
    s.insert("curriculum", group_id="5b", subject_id="lit", teacher_id="t_eng", weekly_hours=2)
    for day in [d for d in school_days((1, 3)) if d >= D(2025, 10, 16)]:
        lesson = s.lesson("5b", "lit", day, 4, teacher="t_eng", status="held" if day <= AS_OF else "planned")
        if day == D(2025, 10, 21):
            s.mark(lesson, "mover", "4")
    for n, day in enumerate(school_days((1, 3))):
        lesson = s.lesson("5b", "math", day, 2, status="held" if day <= AS_OF else "planned")
        if day <= AS_OF and day.weekday() == 1:
            s.mark(lesson, "b1", "2" if n % 4 else "5")
    s.con.execute("UPDATE attendance SET recorded_at = lesson_date + INTERVAL 9 HOUR")
    return s


@pytest.fixture(scope="module")
def built():
    s = _build()
    yield s
    s.con.close()


def _row(rows: pl.DataFrame, pupil: str, subject: str) -> dict:
    return rows.filter((pl.col("student_id") == pupil) & (pl.col("subject_id") == subject)).row(0, named=True)


def test_reasons_and_figures_round_half_up_as_the_deck_shows_them(built) -> None:
    """Before: the reasons rounded the absence share themselves (Python's round, half to even: «пропущено 31 %»)
    while the column beside them was polars' round (half to even: 0,312 → the deck's «31,2 %»), and the averages
    3,125 read «3,12». The school rounds half up: 31,3 % and 3,13 everywhere."""
    rows = student_forecasts(built.con, Scope(group_id="5a"), AS_OF, load_norms())
    a1 = _row(rows, "a1", "lit")
    assert (a1["lessons_missed"], a1["lessons_so_far"], a1["n_marks"]) == (5, 16, 8)
    assert a1["absence_share"] == 0.313 and a1["avg_mark"] == 3.13 and a1["weighted_avg"] == 3.13
    assert fmt.share(a1["absence_share"]) == "31,3\u00a0%"  # the deck's «Доля пропусков» cell
    assert a1["reasons"] == "средневзвешенный 3,13; пропущено 31,3 % уроков (5 из 16)"
    page = docx.Document(io.BytesIO(render_docx(forecast_letter.build(built.con, "5a", AS_OF, load_norms()))))
    cells = [c.text.replace("\u00a0", " ") for t in page.tables for r in t.rows for c in r.cells]
    assert "средневзвешенный 3,13; пропущено 31,3 % уроков (5 из 16)" in cells
    assert cells.count("3,13") >= 2  # the average and the weighted average of a1's Литература row


def test_a_pupils_forecast_is_the_same_for_every_filter_and_role(built) -> None:
    """Before: the rule's spread of marks was pooled over the rows asked for, so 5А alone (the letter, a class
    filter, the class teacher, whose connection shows only 5А) gave a2 another P(«4») than the school's page;
    and a class teacher's model learned from their own class only."""
    norms = load_norms()
    school_rows = student_forecasts(built.con, Scope(school_id="s1"), AS_OF, norms)
    class_rows = student_forecasts(built.con, Scope(group_id="5a"), AS_OF, norms)
    teacher = Access(role="class_teacher", school_ids=frozenset({"s1"}), class_ids=frozenset({"5a"}))
    teacher_rows = student_forecasts(built.con, Scope(school_id="s1"), AS_OF, norms, access=teacher)
    subject_rows = student_forecasts(built.con, Scope(school_id="s1", subject_id="lit"), AS_OF, norms)
    figures = ["student_id", "subject_id", "forecast_mark", "risk", "p_2", "p_3", "p_4", "p_5", "p_na", "reasons"]
    wanted = school_rows.filter(pl.col("class_id") == "5a").select(figures).sort("student_id", "subject_id")
    assert wanted.height == 4 and 0.1 < _row(school_rows, "a2", "lit")["p_4"] < 0.5  # what the spread moves
    assert class_rows.select(figures).sort("student_id", "subject_id").equals(wanted)
    assert teacher_rows.select(figures).sort("student_id", "subject_id").equals(wanted)
    assert subject_rows.filter(pl.col("class_id") == "5a").select(figures).sort("student_id", "subject_id").equals(wanted)
    assert set(teacher_rows["class_id"]) == {"5a"} and "b1" not in set(teacher_rows["student_id"])


def test_the_class_teachers_restricted_connection_cannot_be_widened_by_the_forecast(built) -> None:
    """The forecast narrows to the access it is given; a connection already restricted stays restricted."""
    teacher = Access(role="class_teacher", school_ids=frozenset({"s1"}), class_ids=frozenset({"5b"}))
    rows = student_forecasts(connection(built.con, teacher), Scope(school_id="s1"), AS_OF, load_norms())
    assert set(rows["class_id"]) == {"5b"} and set(rows["student_id"]) <= {"b1", "mover"}


def _letter_pages(s) -> dict[str, str]:
    """The letter as the parent reads it (DOCX text), a page per pupil keyed by the pupil's surname."""
    document = docx.Document(io.BytesIO(render_docx(forecast_letter.build(s.con, "5a", AS_OF, load_norms()))))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    return {chunk.split()[1].rstrip(","): chunk for chunk in re.split(r"(?=Учени(?:к|ца): )", text)[1:]}


def test_the_letter_says_whom_to_contact_and_by_when(built) -> None:
    """Before: «Просим связаться с классным руководителем или учителем-предметником.» — no name, no date: the
    parents had to find out who teaches the subject at risk, who the class teacher is, and how long is left."""
    rows = student_forecasts(built.con, Scope(group_id="5a"), AS_OF, load_norms())
    a4 = _row(rows, "a4", "lit")
    assert (a4["lessons_missed"], a4["lessons_so_far"], a4["forecast_mark"], a4["teacher_id"]) == (9, 16, "н/а", "t_eng")
    pages = _letter_pages(built)
    assert ("Внимание: есть риск отметки «2» или «н/а» за период по предметам: Литература (более 99 %, учитель "
            "Петров И.). 1 семестр заканчивается 26 декабря 2025 г.: до этого дня положение можно исправить. Просим "
            "связаться с классным руководителем (Иванова И.) или с учителем-предметником.") in pages["Григорьева"]
    assert "Внимание" not in pages["Алексеев"]  # 31,3 % missed: a reason, not a risk of «н/а»
    for page in pages.values():
        assert "Классный руководитель: Иванова И." in page


def test_a_pupil_who_joined_the_class_keeps_the_marks_of_his_old_class(built) -> None:
    """The school's forecast counts the mover's marks from 5А (two «5») with 5Б's «4», as the letter does; the
    5Б class teacher's own view of the journal holds only 5Б's, so the drill-down listed one mark under a tile
    of three. marks_so_far with the access lists what the forecast counted, and only the access's pupils."""
    teacher = Access(role="class_teacher", school_ids=frozenset({"s1"}), class_ids=frozenset({"5b"}))
    rows = student_forecasts(built.con, Scope(school_id="s1"), AS_OF, load_norms(), access=teacher)
    mover = _row(rows, "mover", "lit")
    assert (mover["class_id"], mover["n_marks"], mover["avg_mark"]) == ("5b", 3, 4.67)
    listed = marks_so_far(built.con, "p1", ["mover"], AS_OF, "lit", access=teacher)
    assert listed["value_raw"].to_list() == ["5", "5", "4"]
    assert marks_so_far(connection(built.con, teacher), "p1", ["mover"], AS_OF, "lit")["value_raw"].to_list() == ["4"]
    assert marks_so_far(built.con, "p1", ["a1", "mover"], AS_OF, access=teacher)["student_id"].unique().to_list() == [
        "mover"]
