"""The deck keeps one warehouse connection per user access between queries. It took a fresh cursor for every
cached query, so each one rebuilt the TEMP macros and, for every role but the director, the restricted views
with a pseudonym per student: a methodologist's cold «Своевременность» spent a third of its 4–7 s on that.
Connections of different accesses stay apart: a class teacher after a methodologist sees their own rows."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

import queries
from access import accounts
from access.store import open_store, pseudonym_key
from dashboard import data
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries import access, bases, runner
from tests.access_fixtures import PASSWORD, PERIOD, SCHOOL, real_school  # noqa: F401  (fixture)
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
SCOPE = queries.Scope(period_id=PERIOD, school_id=SCHOOL)


def _signed_in(db, login: str) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.text_input(key="login_name").input(login)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _access(real, login: str) -> access.Access:
    with open_store(real.store) as con:
        return accounts.get(con, login).access(pseudonym_key(con), load_norms())


def test_a_page_reuses_the_users_connection_instead_of_rebuilding_it_per_query(real_school, monkeypatch):  # noqa: F811
    built = {"restricted": 0, "setup": 0}

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            built[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(access, "_restricted_cursor", counting("restricted", access._restricted_cursor))
    monkeypatch.setattr(runner, "ensure_setup", counting("setup", runner.ensure_setup))
    at = _signed_in(real_school.db, "methodologist")
    for page in ("timeliness", "attendance"):  # eight and nine cached queries, none run before
        built.update(restricted=0, setup=0)
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert built == {"restricted": 0, "setup": 0}, page  # was 8 and 8 per page
    shown = at.session_state["_downloads"]["chronic_absentees"]
    assert shown["Ученик"].str.starts_with("Ученик ").all()

    teacher = _signed_in(real_school.db, "class_teacher")
    teacher.switch_page("views/timeliness.py").run()
    con = connect_readonly(real_school.db)
    try:
        own = queries.run(con, "mark_late", SCOPE, access=_access(real_school, "class_teacher"))
        everyone = queries.run(con, "mark_late", SCOPE, access=_access(real_school, "methodologist"))
    finally:
        con.close()
    assert 0 < own.height < everyone.height
    assert teacher.session_state["_downloads"]["mark_late"]["Отметка (код)"].to_list() == own["mark_id"].to_list()
    assert at.switch_page("views/timeliness.py").run().session_state["_downloads"]["mark_late"].height == \
        everyone.height


def test_pages_after_the_overview_reuse_its_shared_bases(real_school, monkeypatch):  # noqa: F811
    """The Обзор computed the previous period's key figures last, so the bases left on the connection were the
    previous period's: Своевременность and Посещаемость then rebuilt 2 and 5 bases of the current one."""
    built = {"bases": 0}
    ensure = bases.ensure

    def counting(con, sql, values):
        before = dict(bases._built.get(con, {}))
        ensure(con, sql, values)
        built["bases"] += sum(1 for k, v in bases._built.get(con, {}).items() if before.get(k) != v)

    monkeypatch.setattr(runner.bases, "ensure", counting)
    at = _signed_in(real_school.db, "deputy")  # lands on the Обзор
    assert built["bases"] > 0
    for page in ("timeliness", "attendance"):
        built["bases"] = 0
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert built["bases"] == 0, page


def test_a_connection_evicted_while_a_query_runs_on_it_stays_open(real_school, monkeypatch):  # noqa: F811
    """Nine users of different classes at once: the ninth evicted the first user's connection from the cache
    and closed it under that user's running query («Connection already closed»)."""
    monkeypatch.setenv("ZAVUCH_DB", str(real_school.db))
    ver = data.current_version()
    con = connect_readonly(real_school.db)
    try:
        classes = [r[0] for r in con.execute("SELECT id FROM groups WHERE kind = 'class' ORDER BY id LIMIT 9").fetchall()]
    finally:
        con.close()
    teachers = [access.Access(role="class_teacher", school_ids=frozenset({SCHOOL}), class_ids=frozenset({c}))
                for c in classes]
    with data.connected(ver, teachers[0]) as first:
        for other in teachers[1:]:  # the cache holds eight: the first is evicted
            with data.connected(ver, other) as c:
                c.execute("SELECT count(*) FROM lessons").fetchall()
        lessons = first.execute("SELECT DISTINCT group_id FROM lessons WHERE group_id = ?", [classes[0]]).fetchall()
    assert lessons == [(classes[0],)]


def test_the_overview_counts_its_checks_on_the_bases_its_key_figures_built(real_school, monkeypatch):  # noqa: F811
    """«Все проверки периода» (a pack of every finding) built the nine shared bases again in a scratch database,
    on two new cursors with the restricted views and a pseudonym per student, right after the key figures had
    built them on the user's connection; the Учителя's scorecard did the same again."""
    built = {"scratch": 0, "restricted": 0}
    build_into, restricted = bases.build_into, access._restricted_cursor

    def scratch(*args):
        built["scratch"] += 1
        return build_into(*args)

    def views(*args):
        built["restricted"] += 1
        return restricted(*args)

    monkeypatch.setattr(bases, "build_into", scratch)
    monkeypatch.setattr(access, "_restricted_cursor", views)
    at = _signed_in(real_school.db, "methodologist")  # lands on the Обзор
    assert built == {"scratch": 0, "restricted": 1}  # the connection's own; was 9 bases and 3 cursors
    at.switch_page("views/teachers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert built == {"scratch": 0, "restricted": 1}  # was 9 bases and 2 cursors more
    methodologist = _access(real_school, "methodologist")
    con = connect_readonly(real_school.db)
    try:  # the same figures as a fresh connection's parallel pack
        summary = queries.period_summary(con, SCOPE, access=methodologist)
        card = queries.teacher_scorecard(con, SCOPE, access=methodologist)
    finally:
        con.close()
    shown = at.session_state["_downloads"]
    late = next(m.title for m in queries.catalog() if m.name == "mark_late")  # headed by its title
    assert shown["scorecard"][late].to_list() == card["mark_late"].to_list() and card["mark_late"].sum() > 0
    assert dict(zip(shown["findings"]["Показатель"], shown["findings"]["Случаев"], strict=True)) == \
        dict(zip(summary["title"], summary["findings"], strict=True))
    assert summary["findings"].sum() > 0
