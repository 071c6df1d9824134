"""period_mark_basis_changed: marks entered, changed or deleted after the period mark was set, so that the
weighted average rounds otherwise than on the day it was set (regulation 2.11; domain-notes §5).

Base school of tests/metrics_fixtures.py; semester p1 ends 26 Dec 2025, the period marks are set on 25 Dec
at 10:00 (the fixture's default) unless said otherwise, and the loader first saw every row on 10 Jan 2026.
"""

from __future__ import annotations

from tests.metrics_fixtures import LOAD_TIME, D, T, school
from tests.test_metrics_journal import norms_with, run

LATER_SNAPSHOT = T(2026, 1, 20, 12, 0)


def _lesson(s, group: str, subject: str, day) -> str:
    rows = s.con.execute("SELECT id FROM lessons WHERE group_id = ? AND subject_id = ? AND lesson_date = ?",
                         [group, subject, day]).fetchall()
    return rows[0][0] if rows else s.lesson(group, subject, day, teacher="t_eng" if subject == "eng" else "t_math")


def _event(s, mark: str, event: str, at, source: str, old: str | None, new: str | None) -> None:
    s.con.execute("INSERT INTO mark_events VALUES (?, 2, ?, ?, ?, ?, ?, 1, 1)", [mark, event, at, source, old, new])


def _school():
    s = school()
    mark = s.mark

    # a1, maths: «5», «5» when the «5» was set; a «3» for 10 Dec entered on 27 Dec: 4.33 now → outdated
    mark(_lesson(s, "5a", "math", D(2025, 9, 8)), "a1", "5")
    mark(_lesson(s, "5a", "math", D(2025, 9, 9)), "a1", "5")
    mark(_lesson(s, "5a", "math", D(2025, 12, 10)), "a1", "3", entered_at=T(2025, 12, 27, 12, 0))
    s.period_mark("a1", "math", "5a", "5")

    # a2, maths: «3», «3» when the «4» was set (3.00 → «3»); two «5» entered on 26 Dec: 4.00 now → fitted
    mark(_lesson(s, "5a", "math", D(2025, 9, 8)), "a2", "3")
    mark(_lesson(s, "5a", "math", D(2025, 9, 9)), "a2", "3")
    mark(_lesson(s, "5a", "math", D(2025, 12, 22)), "a2", "5", entered_at=T(2025, 12, 26, 9, 0))
    mark(_lesson(s, "5a", "math", D(2025, 12, 23)), "a2", "5", entered_at=T(2025, 12, 26, 9, 5))
    s.period_mark("a2", "math", "5a", "4")

    # a3, maths: a period mark known only to its day (25 Dec) and a «2» entered at 16:00 that day: the
    # period mark may have been set in the evening, so the «2» is no entry after it (no row; it is
    # period_mark_mismatch's: 3.33 → «3» both then and now)
    mark(_lesson(s, "5a", "math", D(2025, 9, 8)), "a3", "4")
    mark(_lesson(s, "5a", "math", D(2025, 9, 9)), "a3", "4")
    mark(_lesson(s, "5a", "math", D(2025, 12, 24)), "a3", "2", entered_at=T(2025, 12, 25, 16, 0))
    s.period_mark("a3", "math", "5a", "4", entered_at=T(2025, 12, 25, 0, 0), entered_at_precision="date")

    # a4, maths: no entry times at all (a source without them); the period mark was first seen on 10 Jan,
    # two «2» first appeared in the snapshot of 20 Jan: certainly after it → 3.00 now, outdated
    mark(_lesson(s, "5a", "math", D(2025, 9, 8)), "a4", "4", entered_at=None)
    mark(_lesson(s, "5a", "math", D(2025, 9, 9)), "a4", "4", entered_at=None)
    for day in (D(2025, 12, 22), D(2025, 12, 23)):
        mark(_lesson(s, "5a", "math", day), "a4", "2", entered_at=None, first_seen_at=LATER_SNAPSHOT)
    s.period_mark("a4", "math", "5a", "4", entered_at=None)

    # a1, English: a «2» without an entry time in the same snapshot as the period mark: not after it (no row)
    mark(_lesson(s, "5a_eng1", "eng", D(2025, 9, 8)), "a1", "5")
    mark(_lesson(s, "5a_eng1", "eng", D(2025, 9, 9)), "a1", "5")
    mark(_lesson(s, "5a_eng1", "eng", D(2025, 12, 22)), "a1", "2", entered_at=None)
    s.period_mark("a1", "eng", "5a_eng1", "5")

    # b1, 5Б maths: the 9 Sep mark was «3», made «2» on 1 Dec (before the period mark), then «5» in the
    # snapshot of 20 Jan (after it): when the «4» was set, (4 + 2 + 4) / 3 = 3.33 → «3»; now 4.33 → fitted
    mark(_lesson(s, "5b", "math", D(2025, 9, 8)), "b1", "4")
    changed = mark(_lesson(s, "5b", "math", D(2025, 9, 9)), "b1", "5")
    mark(_lesson(s, "5b", "math", D(2025, 9, 10)), "b1", "4")
    _event(s, changed, "changed", T(2025, 12, 1, 15, 0), "source", "3", "2")
    _event(s, changed, "changed", LATER_SNAPSHOT, "loader", "2", "5")
    s.period_mark("b1", "math", "5b", "4")

    # the mover, 5Б maths: «5», «5», «2» when the «5» was set (4.00 → «4»); the «2» deleted on 28 Dec → fitted
    mark(_lesson(s, "5b", "math", D(2025, 10, 20)), "mover", "5")
    mark(_lesson(s, "5b", "math", D(2025, 10, 21)), "mover", "5")
    deleted = mark(_lesson(s, "5b", "math", D(2025, 10, 22)), "mover", "2", deleted_at=T(2025, 12, 28, 8, 0))
    _event(s, deleted, "deleted", T(2025, 12, 28, 8, 0), "source", "2", "2")
    s.period_mark("mover", "math", "5b", "5")
    return s


def test_marks_after_the_period_mark_that_change_its_basis():
    df = run(_school(), "period_mark_basis_changed")
    got = {(r["student_id"], r["subject_id"]): r for r in df.iter_rows(named=True)}
    assert set(got) == {("a1", "math"), ("a2", "math"), ("a4", "math"), ("b1", "math"), ("mover", "math")}
    row = {k: tuple(r[c] for c in ("period_mark", "avg_when_set", "mark_when_set", "weighted_avg", "expected_mark",
                                   "marks_entered_after", "marks_changed_after", "marks_deleted_after", "verdict"))
           for k, r in got.items()}
    assert row == {
        ("a1", "math"): ("5", 5.0, 5, 4.33, 4, 1, 0, 0, "outdated"),
        ("a2", "math"): ("4", 3.0, 3, 4.0, 4, 2, 0, 0, "fitted"),
        ("a4", "math"): ("4", 4.0, 4, 3.0, 3, 2, 0, 0, "outdated"),
        ("b1", "math"): ("4", 3.33, 3, 4.33, 4, 0, 1, 0, "fitted"),
        ("mover", "math"): ("5", 4.0, 4, 5.0, 5, 0, 0, 1, "fitted"),
    }
    # when the period mark was set, and on what that time rests
    assert (got[("a2", "math")]["period_mark_set_at"], got[("a2", "math")]["period_mark_set_basis"]) == \
        (T(2025, 12, 25, 10, 0), "entered_at")
    assert (got[("a4", "math")]["period_mark_set_at"], got[("a4", "math")]["period_mark_set_basis"]) == \
        (LOAD_TIME, "first_seen")
    assert got[("a2", "math")]["detail"] == "3.00→4.00, 4"


def test_a_period_mark_of_a_running_period_is_not_judged():
    assert run(_school(), "period_mark_basis_changed", as_of=D(2025, 12, 20)).is_empty()


def test_the_rounding_thresholds_are_the_schools():
    """With «4» from 4.4 (a school's override): a2's 3.00 and 4.00 both round to «3», as do b1's 3.33 and
    4.33 and a4's 4.00 and 3.00 — no change of basis, no row; a1's 5.00 → 4.33 now goes from «5» to «3»,
    and the mover's 4.00 («3») → 5.00 («5») is still fitted."""
    df = run(_school(), "period_mark_basis_changed", norms_with(rounding={"to_4": 4.4}))
    assert df.select("student_id", "mark_when_set", "expected_mark", "verdict").rows() == [
        ("a1", 5, 3, "outdated"), ("mover", 3, 5, "fitted")]
