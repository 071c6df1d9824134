"""Forecasts on the demo school: no leakage from later entries, the rule against marks read directly,
class forecasts from student rows, and the backtest (semester 1 trains semester 2)."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import polars as pl
import pytest

from etl.norms import load_norms
from etl.rounding import half_up
from etl.warehouse import connect_readonly
from queries.forecast import backtest, class_forecasts, student_forecasts
from queries.forecast import features as feat
from queries.forecast.backtest import finished_periods
from queries.scope import Scope

D = dt.date(2026, 3, 10)  # semester 2, ~40 % in
CLASS = "s001-g106"  # 10А: half-year 2


@pytest.fixture(scope="module")
def school_copy(demo_school, tmp_path_factory):
    """A private writable copy of the demo warehouse (the shared one is read-only)."""
    path = tmp_path_factory.mktemp("forecast") / "warehouse.duckdb"
    shutil.copy(demo_school.db, path)
    return path


def _forecast(path, **kw):
    con = connect_readonly(path)
    try:
        return student_forecasts(con, Scope(group_id=CLASS), D, load_norms(), **kw)
    finally:
        con.close()


def test_mark_entered_after_d_never_changes_the_forecast(school_copy) -> None:
    before = _forecast(school_copy)
    target = before.sort("student_id", "subject_id").row(0, named=True)
    con = duckdb.connect(str(school_copy))
    src = con.sql("""SELECT * FROM marks WHERE student_id = $s AND subject_id = $subj
                     AND lesson_date BETWEEN DATE '2026-01-12' AND $d
                     ORDER BY lesson_date LIMIT 1""",
                  params={"s": target["student_id"], "subj": target["subject_id"], "d": D}).pl()
    late = src.with_columns(id=src["id"] + "-late", value_raw=src["value_raw"].str.replace(r".*", "2"))
    late = late.with_columns(value_num=2, weight=5, entered_at=dt.datetime(2026, 3, 11, 9, 0),
                             first_seen_at=dt.datetime(2026, 3, 11, 9, 0))
    con.register("late", late.to_arrow())
    con.execute("INSERT INTO marks SELECT * FROM late")
    con.close()
    after = _forecast(school_copy)
    assert after.equals(before)
    # the same «2» entered on D itself is seen: the check above can fail
    con = duckdb.connect(str(school_copy))
    con.execute("UPDATE marks SET entered_at = TIMESTAMP '2026-03-10 18:00', first_seen_at = TIMESTAMP '2026-03-10 18:00' "
                "WHERE id = ?", [late["id"][0]])
    con.close()
    seen = _forecast(school_copy).filter(student_id=target["student_id"], subject_id=target["subject_id"])
    assert seen["n_marks"][0] == target["n_marks"] + 1
    assert seen["weighted_avg"][0] < target["weighted_avg"]


def test_rule_matches_marks_read_directly(demo_school) -> None:
    rows = _forecast(demo_school.db, method="rule")
    assert set(rows["method"]) == {"rule"}
    con = connect_readonly(demo_school.db)
    direct = con.execute("""
        SELECT mk.student_id, mk.subject_id, count(*) AS n,
               sum(mk.value_num * mk.weight) / sum(mk.weight) AS wavg
        FROM marks mk JOIN lessons l ON l.id = mk.lesson_id
        WHERE mk.student_id IN (SELECT student_id FROM memberships
                                WHERE group_id IN (SELECT id FROM groups WHERE id = ? OR parent_group_id = ?))
          AND mk.lesson_date BETWEEN DATE '2026-01-12' AND ? AND mk.entered_at < TIMESTAMP '2026-03-11'
          AND mk.deleted_at IS NULL AND l.status = 'held' AND mk.value_kind = 'grade' AND mk.counts_in_average
        GROUP BY ALL""", [CLASS, CLASS, D]).fetchall()
    con.close()
    by_key = {(s, subj): (n, w) for s, subj, n, w in direct}
    checked = 0
    for r in rows.iter_rows(named=True):
        n, wavg = by_key.get((r["student_id"], r["subject_id"]), (0, None))
        assert r["n_marks"] == n
        if wavg is None:
            continue
        assert r["weighted_avg"] == pytest.approx(half_up(float(wavg), 2), abs=0.006)  # the school's rounding
        expected = 5 if wavg >= 4.5 else 4 if wavg >= 3.5 else 3 if wavg >= 2.5 else 2
        if r["rule_forecast_mark"] != "н/а":
            assert int(r["rule_forecast_mark"]) == expected
        checked += 1
    assert checked > 300


def test_model_trained_on_semester_1_and_class_forecast(demo_school) -> None:
    rows = _forecast(demo_school.db)
    assert set(rows["method"]) == {"model"} and rows["training_rows"][0] > 1000
    probs = rows.select("p_2", "p_3", "p_4", "p_5", "p_na").sum_horizontal()
    assert ((probs - 1).abs() < 0.01).all()
    cls = class_forecasts(rows)
    assert cls.height == 1 and cls["n"][0] == rows.height
    expected = round(100 * float((rows["p_4"] + rows["p_5"]).mean()), 1)
    assert abs(cls["quality_pct"][0] - expected) <= 0.11  # probabilities are rounded to 3 digits per row


def test_backtest_model_beats_rule_in_semester_2(demo_school) -> None:
    con = connect_readonly(demo_school.db)
    try:
        result = backtest(con, cutoffs=(0.5,), today=dt.date(2026, 6, 30))
    finally:
        con.close()
    by_period = {r["period_id"]: r for r in result["periods"]}
    assert by_period["s001-per-s1"]["method"] == "rule"  # no earlier period to learn from
    s2 = by_period["s001-per-s2"]
    assert s2["method"] == "model"
    assert s2["model"]["accuracy"] > s2["rule"]["accuracy"]
    assert s2["model"]["mae"] < s2["rule"]["mae"]
    assert s2["model"]["calibration"] and sum(b["n"] for b in s2["model"]["calibration"]) == s2["rows"]


def test_last_mark_is_the_last_of_the_timeline(demo_school) -> None:
    """The model's last_mark is the last mark the drill-down timeline (marks_so_far) lists, also when the
    last day has two marks of different value (arg_max by date alone picked either)."""
    from queries.forecast import features as feat
    from queries.forecast import marks_so_far

    con = connect_readonly(demo_school.db)
    try:
        params = feat.scope_params(con, Scope(), D)
        period = feat.periods_at(con, params).row(0, named=True)  # semester 2, the whole school
        rows = feat.period_features(con, period, D, params, load_norms()).filter(pl.col("n_marks") > 0)
        timeline = marks_so_far(con, period["period_id"], rows["student_id"].to_list(), D)
    finally:
        con.close()
    by_course = timeline.group_by("student_id", "subject_id", maintain_order=True)
    last = by_course.agg(pl.col("value_num").last().alias("expected"),
                         (pl.col("lesson_date") == pl.col("lesson_date").max()).sum().alias("on_last_day"),
                         pl.col("value_num").filter(pl.col("lesson_date") == pl.col("lesson_date").max())
                         .n_unique().alias("values_on_last_day"))
    joined = rows.join(last, on=["student_id", "subject_id"])
    assert joined.height == rows.height
    assert (joined["values_on_last_day"] > 1).sum() > 0  # ties of different value exist: the check can fail
    assert (joined["last_mark"] == joined["expected"]).all()


def test_entries_after_a_compromise_report_known_at_d_do_not_count(demo_school, tmp_path) -> None:
    """Regulation 4.4: marks made by an account after its compromise was reported count nowhere, also not
    in the forecast; a report made after D was not known at D and changes nothing then."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_school.db, path)
    before = _forecast(path)
    target = before.filter(pl.col("n_marks") >= 3).sort("student_id", "subject_id").row(0, named=True)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM account_incidents")
    account = con.sql("""SELECT entered_by FROM marks WHERE student_id = $s AND subject_id = $subj
                         AND lesson_date BETWEEN DATE '2026-01-12' AND $d AND entered_by IS NOT NULL
                         ORDER BY lesson_date LIMIT 1""",
                      params={"s": target["student_id"], "subj": target["subject_id"], "d": D}).fetchall()[0][0]
    reported = dt.datetime(2026, 2, 1)
    # by hand: the account's counted marks on this course entered from the report to the end of D
    invalid = con.sql("""SELECT count(*) FROM marks mk JOIN lessons l ON l.id = mk.lesson_id
                         WHERE mk.student_id = $s AND mk.subject_id = $subj AND mk.entered_by = $a
                           AND mk.lesson_date BETWEEN DATE '2026-01-12' AND $d AND l.status = 'held'
                           AND l.deleted_at IS NULL AND mk.deleted_at IS NULL AND mk.value_kind = 'grade'
                           AND mk.counts_in_average AND mk.entered_at >= $r AND mk.entered_at < $d + 1""",
                      params={"s": target["student_id"], "subj": target["subject_id"], "a": account,
                              "d": D, "r": reported}).fetchall()[0][0]
    con.execute("INSERT INTO account_incidents VALUES ('t-inc', ?, ?, NULL, 'test', 't-inc', 1)",
                [account, dt.datetime(2026, 3, 11, 8, 0)])
    con.close()
    assert _forecast(path).equals(before)  # reported the day after D
    con = duckdb.connect(str(path))
    con.execute("UPDATE account_incidents SET reported_at = ?", [reported])
    con.close()
    after = _forecast(path).filter(student_id=target["student_id"], subject_id=target["subject_id"])
    assert invalid > 0
    assert after["n_marks"][0] == target["n_marks"] - invalid


def test_a_period_whose_period_marks_are_all_invalid_is_not_finished(demo_school, tmp_path) -> None:
    """Regulation 4.4 also in the choice of periods: a period whose every period mark was set by an account
    after its compromise was reported has no valid period marks, so neither the backtest nor the learned
    model (earlier periods) may take it as finished."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_school.db, path)
    today = dt.date(2026, 6, 30)
    con = connect_readonly(path)
    try:
        finished = [p["period_id"] for p in finished_periods(con, None, today)]
        later = con.sql("""SELECT l.id FROM periods l JOIN periods e ON e.id = $p
                           WHERE l.school_id = e.school_id AND l.kind = e.kind AND l.grade_from = e.grade_from
                             AND l.grade_to = e.grade_to AND l.start_date > e.end_date""",
                        params={"p": finished[0]}).fetchall()[0][0]
        earlier = feat.earlier_periods(con, later, today)["period_id"].to_list()
    finally:
        con.close()
    target = finished[0]
    assert target in earlier
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM account_incidents")
    con.execute("""UPDATE final_marks SET entered_by = 'acc-stolen', entered_at = TIMESTAMP '2026-01-20 10:00',
                   entered_at_precision = 'second' WHERE period_id = ? AND kind = 'period'""", [target])
    con.execute("INSERT INTO account_incidents VALUES ('t-inc', 'acc-stolen', TIMESTAMP '2026-01-20 09:00', NULL,"
                " 'test', 't-inc', 1)")
    con.close()
    con = connect_readonly(path)
    try:
        assert target not in [p["period_id"] for p in finished_periods(con, None, today)]
        assert target not in feat.earlier_periods(con, later, today)["period_id"].to_list()
        assert len(finished_periods(con, None, today)) == len(finished) - 1
    finally:
        con.close()
