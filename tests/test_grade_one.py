"""Grade 1 keeps no marks and has no reporting periods, but its journal is kept like any other: topics, the
roll call and (where not exempt) homework are checked. Its справка counts its lessons and says that the
checks of marks had nothing to check, instead of «Проверено 0 уроков», a refusal or «не выявлено» for marks
nobody was to give. School built in code (tests/metrics_fixtures.py) with a class 1А of two students."""

from __future__ import annotations

import copy
import io

import pytest
from pypdf import PdfReader

import queries
from etl.norms import load_norms
from reports import render_pdf, spravka
from tests.metrics_fixtures import AS_OF, D, school

NORMS = load_norms()
DATES = {"date_from": D(2025, 9, 1), "date_to": D(2025, 9, 30)}


def _school():
    s = school()
    s.insert("groups", id="1a", school_id="s1", academic_year_id="y25", name="1А", kind="class", grade=1)
    for student in ("a3", "a4"):
        s.insert("memberships", group_id="1a", student_id=student, valid_from=D(2025, 9, 1), valid_to=None)
    ok = s.lesson("1a", "math", D(2025, 9, 8))
    no_topic = s.lesson("1a", "math", D(2025, 9, 9), topic=None)
    no_roll = s.lesson("1a", "math", D(2025, 9, 10), roll_at=None)
    return s, ok, no_topic, no_roll


def _run(s, name: str, norms: dict = NORMS, **scope) -> list[str]:
    df = queries.run(s.con, name, queries.Scope(as_of=AS_OF, **(scope or {"group_id": "1a"}), **DATES), norms)
    return sorted(df["lesson_id"].to_list())


def test_grade_one_lessons_are_checked():
    s, ok, no_topic, no_roll = _school()
    assert _run(s, "topic_missing") == [no_topic]
    assert _run(s, "attendance_unmarked") == [no_roll]
    assert _run(s, "topic_missing", grade=1) == [no_topic]
    # homework: grade 1 is exempt by the school's norms ([homework].exempt_grades), and checked when it is not
    assert _run(s, "homework_missing") == []
    no_exemption = copy.deepcopy(NORMS)
    no_exemption["homework"]["exempt_grades"] = []
    assert _run(s, "homework_missing", no_exemption) == sorted([ok, no_topic, no_roll])
    # checks of marks stay from control.min_grade: no lesson of grade 1 is «below the marks norm»
    assert queries.run(s.con, "lesson_marks_density", queries.Scope(group_id="1a", as_of=AS_OF, **DATES),
                       NORMS).is_empty()


def _text(doc: spravka.Spravka) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(doc.document))).pages)


@pytest.mark.parametrize("scope", [{"group_id": "1a"}, {"grade": 1}])
def test_grade_one_spravka_counts_its_lessons_and_skips_the_checks_of_marks(scope):
    s, *_ = _school()
    doc = spravka.build(s.con, queries.Scope(**scope, **DATES), spravka.SpravkaOptions(date=AS_OF, norms=NORMS))
    text = _text(doc)
    assert "Проверено 3 проведённых урока" in text
    assert "Не записана тема урока: 1 урок" in text and "Не отмечена посещаемость: 1 урок" in text
    assert "домашнее задание на этих уроках не задаётся" in text
    # sections 3–6 and 8 are all about marks: said not checked, not «не выявлено»
    assert text.count("Не проверялось: в проверенных классах (младше 2-го) отметки не выставляются.") == 5
    for nonsense in ("из 0 обычных", "Отметки выставлены позже срока", "Мало отметок", "— уроков"):
        assert nonsense not in text
    assert doc.violators == ("t_math",)
