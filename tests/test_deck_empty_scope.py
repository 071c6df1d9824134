"""A scope with no lesson must not read as «нарушений не найдено»: the deck says there is nothing to check
instead. A scope of grade 1 only (no marks) has its lessons checked and says that marks are not kept."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard.ui import NO_ROWS
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries import deck
from tests.dashboard_fixtures import APP, SCHOOL, clean_streamlit_caches, demo_db  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow
SUNDAY = dt.date(2026, 3, 1)
YEAR = (dt.date(2025, 9, 1), dt.date(2026, 5, 31))


def _count(db, sql: str, *params) -> int:
    con = connect_readonly(db)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def _page(db, page: str, query: dict[str, str]) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_scope_lessons_counts_any_held_and_with_marks(demo_db):  # noqa: F811
    held_g1 = _count(demo_db, "SELECT count(*) FROM lessons l JOIN groups g ON g.id = l.group_id "
                              "WHERE g.grade = 1 AND l.status = 'held' AND l.lesson_date BETWEEN ? AND ?", *YEAR)
    assert held_g1 > 0
    con = connect_readonly(demo_db)
    try:
        norms = load_norms()
        grade1 = deck.scope_lessons(con, queries.Scope(date_from=YEAR[0], date_to=YEAR[1], school_id=SCHOOL, grade=1),
                                    norms)
        sunday = deck.scope_lessons(con, queries.Scope(date_from=SUNDAY, date_to=SUNDAY, school_id=SCHOOL), norms)
    finally:
        con.close()
    assert (grade1.held, grade1.with_marks) == (held_g1, 0)
    assert sunday == deck.ScopeLessons(lessons=0, held=0, with_marks=0)


@pytest.mark.parametrize("page", ["overview", "attendance", "timeliness"])
def test_a_range_without_lessons_says_so_instead_of_no_violations(demo_db, page):  # noqa: F811
    assert _count(demo_db, "SELECT count(*) FROM lessons WHERE lesson_date = ?", SUNDAY) == 0
    at = _page(demo_db, page, {"school": SCHOOL, "period": "dates", "from": SUNDAY.isoformat(),
                               "to": SUNDAY.isoformat()})
    warnings = [w.value.replace("\\", "") for w in at.warning]  # names are Markdown-escaped (fmt.inert)
    assert any("нет ни одного урока в выбранном срезе" in w and "01.03.2026" in w for w in warnings), warnings
    shown = [i.value for i in at.info] + [s.value for s in at.success]
    assert not any("не найдено" in t or "не было" in t or "нет." in t for t in shown), shown
    assert not at.metric and not at.dataframe


def test_grade_one_is_checked_and_flagged_as_without_marks(demo_db):  # noqa: F811
    at = _page(demo_db, "timeliness", {"school": SCHOOL, "period": "dates", "grade": "1",
                                       "from": YEAR[0].isoformat(), "to": YEAR[1].isoformat()})
    infos = [i.value for i in at.info]
    assert any("младше 2-го" in i and "отметки не выставляются" in i and "проверяются" in i for i in infos), infos
    # the marks' breakdowns (by subject, class) are empty for want of marks; the teachers' topics and roll
    # calls of grade 1 are timed like any other
    assert infos.count(NO_ROWS) == 2, infos
    by_teacher = at.dataframe[0].value
    assert set(by_teacher["Вид записи"]) == {"темы", "посещаемость"}, by_teacher
    at = _page(demo_db, "timeliness", {"school": SCHOOL, "period": "s001-per-s2"})
    assert not any("отметки не выставляются" in i.value for i in at.info)
