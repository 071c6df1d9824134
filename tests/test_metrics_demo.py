"""Ground truth: on the generated demo school every planted violation kind is found exactly
(docs/planted-violations.md): every planted case reported, and nothing of that kind that was not planted."""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
import pytest

import queries
from etl.demo import generate_bundle
from etl.loader import load_bundle
from etl.norms import load_norms
from etl.warehouse import connect_readonly

pytestmark = pytest.mark.slow

# The key columns that identify a case of each planted kind, in ground_truth.csv and in the metric.
LESSON, MARK, SPREE, STUDENT_PERIOD = ["lesson_id"], ["mark_id"], ["teacher_id", "event_date"], [
    "student_id", "subject_id", "period_id"]
PLANTED: dict[str, list[str]] = {
    "topic_missing": LESSON, "topic_late": LESSON, "homework_missing": LESSON, "homework_late": LESSON,
    "attendance_unmarked": LESSON, "substitution_unrecorded": LESSON, "control_work_incomplete": LESSON,
    "mark_late": MARK, "two_after_absence": MARK, "mark_on_absence_no_comment": MARK,
    "entry_after_compromise": MARK, "mark_entered_before_lesson": MARK, "mark_spree": SPREE,
    "period_mark_mismatch": STUDENT_PERIOD, "too_few_marks": STUDENT_PERIOD, "period_mark_missing": STUDENT_PERIOD,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    bundle = generate_bundle(root / "bundle", seed=2025, schools=1)
    load_bundle(bundle.path, root / "wh.duckdb")
    con = connect_readonly(root / "wh.duckdb")
    truth = pl.read_csv(bundle.ground_truth, infer_schema=False)
    school_id, start, end = con.execute(
        "SELECT school_id, min(start_date), max(end_date) FROM academic_years GROUP BY school_id").fetchall()[0]
    scope = queries.Scope(date_from=start, date_to=end, school_id=school_id, as_of=end + dt.timedelta(days=30))
    yield con, truth, scope
    con.close()


def _found(df: pl.DataFrame, keys: list[str]) -> set[tuple]:
    return set(df.select(pl.col(k).cast(pl.String) for k in keys).iter_rows())


def _planted(truth: pl.DataFrame, kind: str, keys: list[str]) -> set[tuple]:
    return set(truth.filter(pl.col("kind") == kind).select(keys).iter_rows())


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_planted_kind_is_found_exactly(demo, kind):
    con, truth, scope = demo
    keys = PLANTED[kind]
    planted = _planted(truth, kind, keys)
    assert planted, f"the generator planted no {kind}"
    found = _found(queries.run(con, kind, scope, load_norms()), keys)
    assert found - planted == set(), f"{kind}: reported but not planted"
    assert planted - found == set(), f"{kind}: planted but not found"


def test_planted_quarantine_is_among_illness_spikes(demo):
    con, truth, scope = demo
    planted = _planted(truth, "quarantine", ["group_id", "event_date"])
    spikes = queries.run(con, "illness_spikes", scope, load_norms())
    assert planted and planted <= _found(spikes, ["class_id", "event_date"])


def test_rounding_within_a_tenth_changes_only_planted_cases(demo):
    con, truth, scope = demo
    planted = _planted(truth, "period_mark_mismatch", STUDENT_PERIOD)
    # Non-planted averages keep 0.15 away from every threshold: moving all thresholds by ±0.1 brings
    # nothing new.
    for shift in (-0.1, 0.1):
        shifted = copy.deepcopy(load_norms())
        shifted["rounding"] = {k: v + shift for k, v in shifted["rounding"].items()}
        found = _found(queries.run(con, "period_mark_mismatch", scope, shifted), STUDENT_PERIOD)
        assert found - planted == set(), f"rounding shifted by {shift}"
    # A threshold beyond the generator's 0.15 margin does change the findings: averages in [4.65, 4.8)
    # that earned a «5» now round to «4».
    strict_norms = copy.deepcopy(load_norms())
    strict_norms["rounding"]["to_5"] = 4.8
    strict = _found(queries.run(con, "period_mark_mismatch", scope, strict_norms), STUDENT_PERIOD)
    assert len(strict - planted) > 0


def test_every_metric_runs_on_the_demo_school_by_period(demo):
    con, _, _ = demo
    period = con.execute("SELECT id FROM periods WHERE kind = 'semester' ORDER BY start_date LIMIT 1").fetchall()[0][0]
    scope = queries.Scope(period_id=period, as_of=dt.date(2026, 7, 1))
    sizes = {m.name: queries.run(con, m.name, scope).height for m in queries.catalog()}
    assert sizes["results_summary"] > 0 and sizes["summary_sheet"] > 0 and sizes["attendance_summary"] > 0
    card = queries.teacher_scorecard(con, scope)
    assert card.height > 10 and card["lessons_held"].sum() > 0
