"""queries.pack: the whole catalogue run on two cursors gives, frame for frame, what queries.run gives
one metric at a time, under full and under restricted access, and leaves nothing attached behind."""

from __future__ import annotations

import datetime as dt

import pytest
from polars.testing import assert_frame_equal

import queries
from etl.norms import load_norms
from etl.warehouse import ALIAS, connect_readonly
from queries import access, bases, deck, pack
from queries.access import FULL, Access, connection
from queries.pack import run_pack
from tests.access_fixtures import CLASS_5A, PERIOD, SCHOOL

SCOPES = {
    "period": queries.Scope(period_id=PERIOD, as_of=dt.date(2026, 7, 1)),
    "class_range": queries.Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 12, 31),
                                 group_id=CLASS_5A, as_of=dt.date(2026, 7, 1)),
}
CLASS_TEACHER = Access(role="class_teacher", school_ids=frozenset({SCHOOL}), class_ids=frozenset({CLASS_5A}))


@pytest.fixture(scope="module")
def con(demo_school):
    c = connect_readonly(demo_school.db)
    yield c
    c.close()


@pytest.fixture
def fresh(demo_school):
    """A connection without kept bases: `con` keeps those of earlier tests, and a pack then reads them there."""
    c = connect_readonly(demo_school.db)
    yield c
    c.close()


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("access", [FULL, CLASS_TEACHER], ids=["full", "class_teacher"])
def test_pack_equals_one_metric_at_a_time(con, scope_name, access):
    scope, norms = SCOPES[scope_name], load_norms()
    names = [m.name for m in queries.catalog()]
    packed = run_pack(con, scope, norms=norms, access=access, workers=2)
    assert list(packed) == names
    for name in names:
        assert_frame_equal(packed[name], queries.run(con, name, scope, norms, access=access), check_exact=True)
    assert packed["mark_lag"].height > 0 and packed["attendance_summary"].height > 0


def test_pack_of_a_few_metrics_builds_only_their_bases_and_detaches_them(fresh):
    before = {r[0] for r in fresh.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    packed = run_pack(fresh, SCOPES["period"], names=["na_risk", "topic_missing"], workers=3)
    assert list(packed) == ["na_risk", "topic_missing"]
    after = {r[0] for r in fresh.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    assert after == before


def test_a_failing_base_fails_the_pack_and_still_detaches(fresh, monkeypatch):
    def broken(*_args) -> None:
        raise RuntimeError("base failed")

    monkeypatch.setattr(bases, "build_into", broken)
    with pytest.raises(RuntimeError, match="base failed"):
        run_pack(fresh, SCOPES["period"], names=["topic_missing", "na_risk"])
    assert not [r for r in fresh.execute("SELECT database_name FROM duckdb_databases()").fetchall()
                if r[0].startswith("zavuch_pack_")]
    assert not pack._idle.get(fresh)  # the failed pack's cursors are closed, not kept for the next pack


def test_each_base_is_dropped_once_every_task_reading_it_has_run(fresh, monkeypatch):
    seen = {}
    run_tasks = pack._run

    def spy(cursors, texts, needed, scratch, values):
        frames = run_tasks(cursors, texts, needed, scratch, values)
        seen["built"] = needed
        seen["left"] = cursors[0].execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [scratch]).fetchall()
        return frames

    monkeypatch.setattr(pack, "_run", spy)
    packed = run_pack(fresh, SCOPES["period"], names=["attendance_students", "lesson_marks_density"])
    assert seen["built"] == ("scope_lessons", "scope_memberships", "scope_member_attendance", "scope_student_days",
                             "scope_lesson_attendance", "scope_marks", "scope_marked_students")
    assert seen["left"] == []
    for name in packed:
        assert_frame_equal(packed[name], queries.run(fresh, name, SCOPES["period"], load_norms()), check_exact=True)


PSEUDONYMISED = Access(role="methodologist", pseudonymise=True, key=b"k" * 32)
FEW = ["na_risk", "mark_late", "attendance_students"]


def test_a_connections_packs_reuse_its_cursors_and_never_lend_them_to_another_access(fresh, monkeypatch):
    """Every pack made two new cursors and built on each the restricted views and a pseudonym per student
    (queries.access): a deck user's every scorecard and period summary paid for it again."""
    made = []
    restricted = access._restricted_cursor
    monkeypatch.setattr(access, "_restricted_cursor", lambda con, acc: made.append(acc) or restricted(con, acc))
    teacher = connection(fresh, CLASS_TEACHER)
    first = run_pack(teacher, SCOPES["period"], names=FEW)
    assert made == [CLASS_TEACHER] * 3  # the connection's own, then the pack's two
    second = run_pack(teacher, SCOPES["class_range"], names=FEW)
    assert made == [CLASS_TEACHER] * 3  # was two more per pack
    cursor = fresh.cursor()  # another user's connection of the same warehouse
    cursor.execute(f"USE {ALIAS}")
    other = connection(cursor, PSEUDONYMISED)
    theirs = run_pack(other, SCOPES["period"], names=FEW)
    assert made == [CLASS_TEACHER] * 3 + [PSEUDONYMISED] * 3
    assert {access.access_of(w.cur) for w in pack._idle[teacher]} == {CLASS_TEACHER}
    assert {access.access_of(w.cur) for w in pack._idle[other]} == {PSEUDONYMISED}
    for name in FEW:
        assert_frame_equal(first[name], queries.run(fresh, name, SCOPES["period"], access=CLASS_TEACHER),
                           check_exact=True)
        assert_frame_equal(second[name], queries.run(fresh, name, SCOPES["class_range"], access=CLASS_TEACHER),
                           check_exact=True)
    assert theirs["attendance_students"]["class_id"].n_unique() > first["attendance_students"]["class_id"].n_unique() == 1
    assert theirs["mark_late"].height > first["mark_late"].height > 0


def test_a_pack_reads_the_bases_its_connection_already_holds(fresh, demo_school, monkeypatch):
    """The Обзор's «Все проверки периода» built nine bases again in a scratch database right after the key
    figures had built them on the same connection for the same scope."""
    built = []
    monkeypatch.setattr(bases, "build_into", lambda cur, catalog, name, values: built.append(name))
    teacher = connection(fresh, CLASS_TEACHER)
    figures = deck.key_figures(teacher, SCOPES["period"])
    summary = queries.period_summary(teacher, SCOPES["period"])
    card = queries.teacher_scorecard(teacher, SCOPES["period"])
    assert built == []  # nine, then nine more before
    assert figures.height > 0 and summary["findings"].sum() > 0 and card.height > 0
    monkeypatch.undo()
    other = connect_readonly(demo_school.db)
    try:  # a fresh connection runs the parallel pack: the same frames
        assert_frame_equal(summary, queries.period_summary(other, SCOPES["period"], access=CLASS_TEACHER),
                           check_exact=True)
        assert_frame_equal(card, queries.teacher_scorecard(other, SCOPES["period"], access=CLASS_TEACHER),
                           check_exact=True)
    finally:
        other.close()
