"""A teacher who marks rarely is the deputy's finding, not the pupils' «н/а» risk: the forecast keeps the
pupil's own risks (absences, own missing marks) apart from a course-wide shortfall of marks
([min_marks].class_short_share), and the letter to parents speaks only of the pupil's own.

School built here (tests/metrics_fixtures.py, 5А with six pupils, semester 1 of 2025/2026, D = 14.11.2025):
* Математика (5 h a week, at least 7 marks): lessons every weekday, but the teacher marked the whole class
  on two days only — every pupil is short of marks at this pace;
* Литература (2 h a week, at least 5 marks): lessons on Tuesdays and Thursdays, each pupil marked every
  Tuesday — except a3, absent from most lessons, and a4, present but marked once.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import docx
import polars as pl
import pytest
from docx.table import Table as DocxTable
from typer.testing import CliRunner

from cli.main import app
from dashboard import fmt
from etl.norms import load_norms
from etl.rounding import half_up
from queries.forecast import at_risk, marking_pace, student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_docx
from tests.metrics_fixtures import SEM, D, school, school_days

AS_OF = D(2025, 11, 14)
PUPILS = ("a1", "a2", "a3", "a4", "a5", "a6")
MATH_MARKED = (D(2025, 9, 10), D(2025, 10, 8))  # the only days the mathematics teacher gave marks
MATH_DAYS = school_days((0, 1, 2, 3, 4))
LIT_DAYS = school_days((1, 3))


def _build(path: str = ":memory:", as_of: dt.date = AS_OF):
    s = school(path)
    for pid, last in (("a5", "Дмитриева"), ("a6", "Жуков")):
        s.insert("people", id=pid, school_id="s1", role="student", last_name=last, first_name="Имя")
        s.insert("memberships", group_id="5a", student_id=pid, valid_from=SEM[1], valid_to=None)
    for day in MATH_DAYS:
        lesson = s.lesson("5a", "math", day, 2, status="held" if day <= as_of else "planned")
        if day in MATH_MARKED:
            for i, pupil in enumerate(PUPILS):
                s.mark(lesson, pupil, "5" if (i + day.month) % 2 else "4")
    for n, day in enumerate(LIT_DAYS):
        held = day <= as_of
        lesson = s.lesson("5a", "lit", day, 3, teacher="t_eng", status="held" if held else "planned")
        if not held:
            continue
        if n % 4:  # a3 misses three lessons in four
            s.absent(lesson, "a3", "Н")
        elif day.weekday() == 1:
            s.mark(lesson, "a3", "3")
        if day.weekday() == 1:
            for pupil in ("a1", "a2", "a5", "a6"):
                s.mark(lesson, pupil, "4")
            if day == LIT_DAYS[0]:
                s.mark(lesson, "a4", "4")
    # the roll was entered during each lesson (the fixture's loader saw it only in January)
    s.con.execute("UPDATE attendance SET recorded_at = lesson_date + INTERVAL 9 HOUR")
    return s


@pytest.fixture(scope="module")
def forecast():
    s = _build()
    rows = student_forecasts(s.con, Scope(group_id="5a"), AS_OF, load_norms())
    yield s, rows
    s.con.close()


def _row(rows: pl.DataFrame, pupil: str, subject: str) -> dict:
    return rows.filter((pl.col("student_id") == pupil) & (pl.col("subject_id") == subject)).row(0, named=True)


def test_a_class_wide_shortfall_is_the_teachers_pace_not_the_pupils_risk(forecast) -> None:
    _, rows = forecast
    held = sum(d <= AS_OF for d in MATH_DAYS)
    assert rows["method"].unique().to_list() == ["rule"]
    for pupil in PUPILS:
        r = _row(rows, pupil, "math")
        assert (r["n_marks"], r["lessons_so_far"], r["lessons_planned"], r["min_marks"]) == (2, held, len(MATH_DAYS), 7)
        assert r["projected_marks"] == half_up(2 * len(MATH_DAYS) / held, 1) < 7  # 3,25 → 3,3, as the school rounds
        assert r["few_marks"] and r["teacher_pace_short"] and not r["own_few_marks"]
        # before: «н/а» with certainty (risk 100 %, «мало отметок: 2 (нужно не менее 7 за период)»)
        assert r["p_na"] == 0.0 and r["risk"] < 0.01 and r["forecast_mark"] != "н/а"
        assert "мало отметок" not in r["reasons"]
    pace = marking_pace(rows)
    assert pace.select("class_name", "group_name", "subject_name", "teacher_id", "students", "students_short",
                       "median_marks", "min_marks", "lessons_so_far", "lessons_planned").rows() == [
        ("5А", "5А", "Математика", "t_math", 6, 6, 2.0, 7, held, len(MATH_DAYS))]


def test_the_pupils_own_absences_and_own_missing_marks_stay_his_risk(forecast) -> None:
    _, rows = forecast
    held = [d for d in LIT_DAYS if d <= AS_OF]
    a3 = _row(rows, "a3", "lit")
    missed = sum(1 for n in range(len(held)) if n % 4)
    assert (a3["lessons_so_far"], a3["lessons_missed"]) == (len(held), missed)
    assert a3["absence_share"] == half_up(missed / len(held), 3) >= 0.5
    assert a3["risk"] == 1.0 and a3["forecast_mark"] == "н/а"
    assert a3["reasons"] == (f"средневзвешенный 3,00; пропущено {fmt.share(a3['absence_share'])} уроков "
                             f"({missed} из {len(held)})").replace("\u00a0", " ")
    a4 = _row(rows, "a4", "lit")
    assert (a4["n_marks"], a4["absence_share"], a4["min_marks"]) == (1, 0.0, 5)
    # short at his own pace (the parents are told «мало отметок»), but 12 lessons remain and the course gives a
    # mark every other lesson: 1 + 12 × 0,5 = 7 ≥ 5, so no certain «н/а» (before: risk 100 %, «более 99 %»)
    assert (a4["lessons_planned"] - a4["lessons_so_far"], a4["own_few_marks"], a4["teacher_pace_short"]) == (
        12, True, False)
    assert a4["forecast_mark"] == "4" and a4["risk"] < 0.01
    assert a4["reasons"] == "средневзвешенный 4,00; мало отметок: 1 (нужно не менее 5 за период)"
    a1 = _row(rows, "a1", "lit")
    assert not a1["few_marks"] and a1["risk"] < 0.01
    # the at-risk list (deck, letter) is the absent pupil's literature, not the whole class's mathematics
    assert at_risk(rows).select("student_id", "subject_id").rows() == [("a3", "lit")]
    assert marking_pace(rows.filter(pl.col("subject_id") == "lit")).is_empty()


def _letter_pages(s) -> dict[str, str]:
    """The letter as the parent reads it (DOCX text), a page per pupil keyed by the pupil's surname."""
    document = docx.Document(io.BytesIO(render_docx(forecast_letter.build(s.con, "5a", AS_OF, load_norms()))))
    lines = []  # paragraphs and table rows in reading order
    for block in document.iter_inner_content():
        rows = block.rows if isinstance(block, DocxTable) else ()
        lines.extend([" | ".join(c.text for c in row.cells) for row in rows] or [getattr(block, "text", "")])
    text = "\n".join(lines)
    pages = {}
    for chunk in re.split(r"(?=Учени(?:к|ца): )", text.replace("\u00a0", " "))[1:]:
        pages[chunk.split()[1].rstrip(",")] = chunk
    return pages


def test_the_letter_tells_parents_only_of_what_they_can_act_on(forecast) -> None:
    s, _ = forecast
    pages = _letter_pages(s)
    assert set(pages) == {"Алексеев", "Борисова", "Васильев", "Григорьева", "Дмитриева", "Жуков"}
    for page in pages.values():
        assert "мало отметок: 2" not in page and "Математика (" not in page
    assert "Ни по одному предмету риск отметки «2» или «н/а» за период не достигает 50 %." in pages["Алексеев"]
    held = [d for d in LIT_DAYS if d <= AS_OF]
    missed = sum(1 for n in range(len(held)) if n % 4)
    warning = "Внимание: есть риск отметки «2» или «н/а» за период по предметам: Литература (более 99 %, учитель Петров И.)."
    said = f"пропущено {fmt.share(half_up(missed / len(held), 3))} уроков ({missed} из {len(held)})"
    assert warning in pages["Васильев"] and said.replace("\u00a0", " ") in pages["Васильев"]
    assert "Внимание" not in pages["Григорьева"]  # what to act on: marks, not a «н/а» that is not coming
    assert "мало отметок: 1 (нужно не менее 5 за период)" in pages["Григорьева"]


def test_a_pupils_shortfall_of_marks_is_a_risk_once_the_course_pace_cannot_make_it_up() -> None:
    """At 18.12.2025 two literature lessons remain: a4's one mark plus the course's mark every other lesson
    cannot reach the 5 required, so the rule's «н/а» stands (the pupil's own shortfall, the teacher marks
    normally). Early in the period the same shortfall was not yet certain (test above)."""
    day = D(2025, 12, 18)
    s = _build(as_of=day)
    rows = student_forecasts(s.con, Scope(group_id="5a"), day, load_norms())
    a4 = _row(rows, "a4", "lit")
    assert (a4["n_marks"], a4["lessons_planned"] - a4["lessons_so_far"], a4["min_marks"]) == (1, 2, 5)
    assert a4["forecast_mark"] == "н/а" and a4["risk"] == 1.0
    assert ("a4", "lit") in at_risk(rows).select("student_id", "subject_id").rows()
    s.con.close()


def test_the_cli_lists_the_teachers_pace_apart(tmp_path) -> None:
    path = tmp_path / "wh.duckdb"
    _build(str(path)).con.close()
    r = CliRunner().invoke(app, ["forecast", "--as-of", "2025-11-14", "--class", "5a", "--pace", "--format", "json",
                                 "--db", str(path)])
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)
    assert [(x["subject_name"], x["teacher_id"], x["students_short"]) for x in listed] == [("Математика", "t_math", 6)]
    both = CliRunner().invoke(app, ["forecast", "--as-of", "2025-11-14", "--pace", "--classes", "--db", str(path)])
    assert both.exit_code == 2 and "укажите что-то одно" in both.output
