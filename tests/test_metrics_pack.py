"""queries.pack: the whole catalogue run on two cursors gives, frame for frame, what queries.run gives
one metric at a time, under full and under restricted access, and leaves nothing attached behind."""

from __future__ import annotations

import datetime as dt

import pytest
from polars.testing import assert_frame_equal

import queries
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries import bases
from queries.access import FULL, Access
from queries import pack
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


def test_pack_of_a_few_metrics_builds_only_their_bases_and_detaches_them(con):
    before = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    packed = run_pack(con, SCOPES["period"], names=["na_risk", "topic_missing"], workers=3)
    assert list(packed) == ["na_risk", "topic_missing"]
    after = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    assert after == before


def test_a_failing_base_fails_the_pack_and_still_detaches(con, monkeypatch):
    def broken(*_args) -> None:
        raise RuntimeError("base failed")

    monkeypatch.setattr(bases, "build_into", broken)
    with pytest.raises(RuntimeError, match="base failed"):
        run_pack(con, SCOPES["period"], names=["topic_missing", "na_risk"])
    assert not [r for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
                if r[0].startswith("zavuch_pack_")]


def test_each_base_is_dropped_once_every_task_reading_it_has_run(con, monkeypatch):
    seen = {}
    run_tasks = pack._run

    def spy(cursors, texts, needed, scratch, values):
        frames = run_tasks(cursors, texts, needed, scratch, values)
        seen["built"] = needed
        seen["left"] = cursors[0].execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [scratch]).fetchall()
        return frames

    monkeypatch.setattr(pack, "_run", spy)
    packed = run_pack(con, SCOPES["period"], names=["attendance_students", "lesson_marks_density"])
    assert seen["built"] == ("scope_lessons", "scope_memberships", "scope_member_attendance", "scope_student_days",
                             "scope_lesson_attendance", "scope_marks", "scope_marked_students")
    assert seen["left"] == []
    for name in packed:
        assert_frame_equal(packed[name], queries.run(con, name, SCOPES["period"], load_norms()), check_exact=True)
