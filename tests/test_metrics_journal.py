"""Journal filling, timeliness, homework and teacher compliance metrics on hand-built fixtures.

Every expected value is computed by hand from the rows inserted in the test (see tests/metrics_fixtures.py
for the base school: 5А = a1..a4 + mover until 15 Oct; 5Б = b1 + mover from 16 Oct; subgroup 5А англ. 1 = a1, a2).
"""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
import pytest

import queries
from dashboard import fmt
from etl.norms import load_norms
from tests.metrics_fixtures import AS_OF, D, T, School, school

NORMS = load_norms()


def norms_with(**sections: dict) -> dict:
    n = copy.deepcopy(NORMS)
    for section, values in sections.items():
        n[section].update(values)
    return n


def run(s: School, name: str, norms: dict | None = None, **scope) -> pl.DataFrame:
    scope.setdefault("as_of", AS_OF)
    if "date_from" not in scope:
        scope.setdefault("period_id", "p1")
    return queries.run(s.con, name, queries.Scope(**scope), norms or NORMS)


def ids(df: pl.DataFrame, col: str = "lesson_id") -> list:
    return sorted(df[col].to_list())


# ------------------------------------------------------------------ topics and roll


def test_topic_missing_empty_short_and_placeholder_topics():
    s = school()
    ok = s.lesson("5a", "math", D(2025, 9, 8), topic="Дроби")
    four = s.lesson("5a", "math", D(2025, 9, 8), 2, topic="Т е м а")  # 4 non-blank characters: a topic
    none = s.lesson("5a", "math", D(2025, 9, 9), topic=None)
    dots = s.lesson("5a", "math", D(2025, 9, 10), topic="... —")
    short = s.lesson("5a", "math", D(2025, 9, 11), topic="  аб  ")
    s.lesson("5a", "math", D(2025, 9, 12), topic=None, status="cancelled")
    df = run(s, "topic_missing")
    assert ids(df) == sorted([none, dots, short])
    assert ok not in ids(df) and four not in ids(df)
    # A stricter school: 6 characters make a topic; «Дроби» (5) and «Т е м а» (4) now count as missing.
    strict = run(s, "topic_missing", norms_with(journal={"topic_min_chars": 6}))
    assert ids(strict) == sorted([ok, four, none, dots, short])


def test_topic_late_is_judged_only_for_real_topics():
    s = school()
    s.lesson("5a", "math", D(2025, 9, 8), topic="Дроби")
    late = s.lesson("5a", "math", D(2025, 9, 9), topic="Дроби", topic_at=T(2025, 9, 10, 9, 0))
    s.lesson("5a", "math", D(2025, 9, 10), topic="..", topic_at=T(2025, 9, 20, 9, 0))  # missing, not late
    df = run(s, "topic_late")
    assert ids(df) == [late] and df["lag_days"].to_list() == [1]
    assert run(s, "topic_late", norms_with(deadlines={"topic_days": 1})).is_empty()


def test_attendance_unmarked_and_late():
    s = school()
    unmarked = s.lesson("5a", "math", D(2025, 9, 8), roll_at=None)
    s.absent(unmarked, "a1", "Б")  # the class teacher recorded an illness, the teacher never took the roll
    s.lesson("5a", "math", D(2025, 9, 9), roll_at=None, status="cancelled")
    late = s.lesson("5a", "math", D(2025, 9, 10), roll_at=T(2025, 9, 12, 8, 0))
    df = run(s, "attendance_unmarked")
    assert ids(df) == [unmarked] and df["absences_recorded"].to_list() == [1]
    late_df = run(s, "attendance_late")
    assert ids(late_df) == [late] and late_df["lag_days"].to_list() == [2]


def test_attendance_unmarked_only_where_the_source_records_roll_calls():
    s = school()
    s.lesson("5a", "math", D(2025, 9, 5))  # this system records roll calls: the roll was taken here
    unmarked = s.lesson("5a", "math", D(2025, 9, 8), roll_at=None)
    # A second system (МЭШ-like) never gives roll-call times: its lessons are "unknown", not violations.
    s.lesson("5a", "math", D(2025, 9, 9), roll_at=None, source_system="mesh")
    s.lesson("5a", "math", D(2025, 9, 10), roll_at=None, source_system="mesh")
    assert ids(run(s, "attendance_unmarked")) == [unmarked]


# ------------------------------------------------------------------ homework


def test_homework_missing_respects_exempt_subjects_and_grades():
    s = school()
    with_hw = s.lesson("5a", "math", D(2025, 9, 8))
    s.homework(with_hw)
    without = s.lesson("5a", "math", D(2025, 9, 9))
    pe = s.lesson("5a", "pe", D(2025, 9, 9), 2, teacher="t_sub")
    sub = s.lesson("5a_eng1", "eng", D(2025, 9, 9), 3, teacher="t_eng")
    assert ids(run(s, "homework_missing")) == sorted([without, sub])
    no_exemptions = norms_with(homework={"exempt_subjects": []})
    assert ids(run(s, "homework_missing", no_exemptions)) == sorted([without, pe, sub])
    # Grade 5 exempt: nothing is missing.
    assert run(s, "homework_missing", norms_with(homework={"exempt_grades": [1, 5]})).is_empty()


def test_homework_late_counts_the_earliest_entry_and_advance_posting():
    s = school()
    late = s.lesson("5a", "math", D(2025, 9, 8))
    s.homework(late, entered_at=T(2025, 9, 9, 20, 0))
    fixed = s.lesson("5a", "math", D(2025, 9, 9))
    s.homework(fixed, entered_at=T(2025, 9, 9, 18, 0))
    s.homework(fixed, entered_at=T(2025, 9, 11, 18, 0))
    early = s.lesson("5a", "math", D(2025, 9, 10))
    s.homework(early, entered_at=T(2025, 9, 8, 18, 0))
    df = run(s, "homework_late")
    assert ids(df) == [late] and df["lag_days"].to_list() == [1]
    adv = run(s, "homework_in_advance")
    assert ids(adv) == [early] and adv["days_in_advance"].to_list() == [2]


def test_homework_load_per_class_and_day_against_sanpin():
    s = school()
    # Monday 8 Sep: three subjects set homework due Tuesday 9 Sep: 30 + 40 + 50 = 120 minutes (limit 120 in grade 5).
    m = s.lesson("5a", "math", D(2025, 9, 8))
    s.homework(m, minutes=30, due=D(2025, 9, 9))
    e = s.lesson("5a_eng1", "eng", D(2025, 9, 8), 2, teacher="t_eng")
    s.homework(e, minutes=40, due=D(2025, 9, 9))
    lit = s.lesson("5a", "lit", D(2025, 9, 8), 3, teacher="t_eng")
    s.homework(lit, minutes=50, due=D(2025, 9, 9))
    # Without due_date the homework is due at the group's next lesson of the subject (Wed 10 Sep).
    m2 = s.lesson("5a", "math", D(2025, 9, 9))
    s.homework(m2, minutes=130)
    s.lesson("5a", "math", D(2025, 9, 10))
    df = run(s, "homework_load").sort("event_date")
    assert df.select("class_id", "event_date", "tasks", "minutes_known", "minutes_limit", "over_limit").rows() == [
        ("5a", D(2025, 9, 9), 3, 120, 120.0, False),
        ("5a", D(2025, 9, 10), 1, 130, 120.0, True),
    ]


# ------------------------------------------------------------------ marks: timeliness


def test_mark_late_uses_work_type_deadlines():
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 10))  # Wednesday
    on_day = s.mark(lesson, "a1", "5")
    next_day = s.mark(lesson, "a2", "4-", entered_at=T(2025, 9, 11, 23, 59))
    two_days = s.mark(lesson, "a3", "4", entered_at=T(2025, 9, 12, 8, 0))
    test7 = s.mark(lesson, "a4", "5", work_type="wt_test", entered_at=T(2025, 9, 17, 8, 0))
    test8 = s.mark(lesson, "mover", "3", work_type="wt_test", entered_at=T(2025, 9, 18, 8, 0))
    essay10 = s.mark(lesson, "a1", "5", work_type="wt_essay", entered_at=T(2025, 9, 20, 8, 0))
    essay11 = s.mark(lesson, "a2", "4", work_type="wt_essay", entered_at=T(2025, 9, 21, 8, 0))
    df = run(s, "mark_late")
    assert ids(df, "mark_id") == sorted([two_days, test8, essay11])
    assert set(df["timeliness"]) == {"late"}
    assert dict(zip(df["mark_id"], df["deadline_days"])) == {two_days: 1, test8: 7, essay11: 10}
    assert {on_day, next_day, test7, essay10}.isdisjoint(df["mark_id"])
    # A school giving 3 days for ordinary marks: only the control work and the essay stay late.
    relaxed = run(s, "mark_late", norms_with(deadlines={"mark_days": 3}))
    assert ids(relaxed, "mark_id") == sorted([test8, essay11])


def test_mark_lag_in_school_days_skips_weekends_and_vacation():
    s = school()
    friday = s.lesson("5a", "math", D(2025, 9, 12))
    weekend = s.mark(friday, "a1", "5", entered_at=T(2025, 9, 15, 9, 0))  # Monday: 3 calendar days, 1 school day
    before_vac = s.lesson("5a", "math", D(2025, 10, 24))  # Friday before the autumn vacation (27 Oct – 4 Nov)
    vacation = s.mark(before_vac, "a1", "4", entered_at=T(2025, 11, 5, 9, 0))  # Wednesday after it
    df = run(s, "mark_lag").sort("event_date")
    assert df.select("mark_id", "lag_days", "school_days_min", "school_days_max", "timeliness").rows() == [
        (weekend, 3, 1, 1, "late"),
        (vacation, 12, 1, 1, "late"),
    ]


def test_mark_lag_school_days_follow_each_groups_own_calendar():
    s = school()
    # A quarantine of 5А (Tue 16 – Wed 17 Sep) closes its English subgroup too, not 5Б; a day off for
    # grades 6–11 (Thu 18 Sep) closes none of them.
    s.insert("holidays", school_id="s1", academic_year_id="y25", name="Карантин 5А", kind="quarantine",
             start_date=D(2025, 9, 16), end_date=D(2025, 9, 17), group_id="5a")
    s.insert("holidays", school_id="s1", academic_year_id="y25", name="День здоровья", kind="other",
             start_date=D(2025, 9, 18), end_date=D(2025, 9, 18), grade_from=6, grade_to=11)
    friday = T(2025, 9, 19, 9, 0)
    in_5a = s.mark(s.lesson("5a", "math", D(2025, 9, 15)), "a1", "5", entered_at=friday)
    in_eng = s.mark(s.lesson("5a_eng1", "eng", D(2025, 9, 15), 2, teacher="t_eng"), "a2", "4", entered_at=friday)
    in_5b = s.mark(s.lesson("5b", "math", D(2025, 9, 15)), "b1", "3", entered_at=friday)
    df = run(s, "mark_lag")
    assert sorted(df.select("mark_id", "lag_days", "school_days_min", "school_days_max").rows()) == sorted([
        (in_5a, 4, 2, 2), (in_eng, 4, 2, 2), (in_5b, 4, 4, 4)])


def test_lag_known_only_from_first_seen_is_a_bound():
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 12, 1))
    mark = s.mark(lesson, "a1", "5", entered_at=None)  # first seen by the loader on 10 Jan 2026
    df = run(s, "mark_lag")
    row = df.row(0, named=True)
    assert (row["lag_basis"], row["lag_precision"], row["lag_days"]) == ("first_seen", "bound", None)
    assert (row["lag_days_min"], row["lag_days_max"], row["timeliness"]) == (0, 40, "possibly_late")
    # entered some time between the lesson and the load: not a late mark a teacher can be charged with
    assert run(s, "mark_late").is_empty()
    overview = queries.run(s.con, "mark_lag", queries.Scope(period_id="p1", as_of=AS_OF))
    assert overview["timeliness"].to_list() == ["possibly_late"]
    # A previous load of the same source read it on 20 Dec 2025 without this mark: it is certainly late.
    s.insert("import_batches", batch_id=7, source_system="zavuch", bundle_path="/b", bundle_sha256="x",
             mode="snapshot", started_at=T(2025, 12, 20, 6, 0), finished_at=T(2025, 12, 20, 6, 5), status="loaded")
    late = run(s, "mark_late")
    assert late["mark_id"].to_list() == [mark]
    assert late.select("lag_days_min", "lag_days_max", "timeliness").row(0) == (19, 40, "late")


def test_mark_spree_counts_only_old_lessons_and_exact_times():
    s = school()
    old = s.lesson("5a", "math", D(2025, 10, 1))  # 19 days before the sitting on 20 Oct
    young = s.lesson("5a", "math", D(2025, 10, 7))  # 13 days before it
    sitting = T(2025, 10, 20, 21, 0)
    for st in ("a1", "a2", "a3"):
        s.mark(old, st, "4", entered_at=sitting)
    for st in ("a1", "a2"):
        s.mark(young, st, "5", entered_at=sitting)
    assert run(s, "mark_spree").is_empty()  # default norm: 40 marks
    df = run(s, "mark_spree", norms_with(timeliness={"spree_min_marks": 3}))
    assert df.select("teacher_id", "event_date", "marks", "detail").rows() == [("t_math", D(2025, 10, 20), 3, "3")]


def test_mark_entered_before_lesson():
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 10))
    early = s.mark(lesson, "a1", "5", entered_at=T(2025, 9, 9, 18, 0))
    s.mark(lesson, "a2", "5")
    df = run(s, "mark_entered_before_lesson")
    assert df["mark_id"].to_list() == [early] and df["days_before"].to_list() == [1]


def test_timeliness_summary_per_teacher_and_item():
    s = school()
    l1 = s.lesson("5a", "math", D(2025, 9, 8), topic_at=T(2025, 9, 9, 8, 0), roll_at=T(2025, 9, 8, 9, 0))
    s.mark(l1, "a1", "5")  # lag 0
    s.mark(l1, "a2", "4", entered_at=T(2025, 9, 9, 8, 0))  # lag 1
    s.mark(l1, "a3", "4", entered_at=T(2025, 9, 12, 8, 0))  # lag 4: late
    s.mark(l1, "a4", "3", entered_at=None)  # bound [0, 122]: untimed as exact, counts as not in time
    s.homework(l1)
    df = run(s, "timeliness_summary").filter(pl.col("teacher_id") == "t_math")
    got = {r["item"]: r for r in df.iter_rows(named=True)}
    assert (got["mark"]["entries"], got["mark"]["bounded_only"], got["mark"]["on_lesson_day"],
            got["mark"]["within_day"], got["mark"]["within_deadline"]) == (4, 1, 1, 2, 2)
    assert got["mark"]["share_within_deadline"] == 0.5
    assert (got["topic"]["on_lesson_day"], got["topic"]["within_deadline"]) == (0, 0)
    assert got["attendance"]["share_within_deadline"] == 1.0
    assert got["homework"]["share_on_lesson_day"] == 1.0


def test_a_share_is_exact_and_rounded_once_where_it_is_shown():
    """Shares were stored rounded to 4 decimals and rounded again for the screen: 1 topic in time of 22 is
    4,545… %, shown as «4,6 %» (0.0455 → 4.55 → half up) instead of «4,5 %»."""
    s = school()
    days = [D(2025, 9, 8) + dt.timedelta(days=i) for i in range(40)]
    for n, day in enumerate([d for d in days if d.weekday() < 5][:22]):
        s.lesson("5a", "math", day, topic_at=T(day.year, day.month, day.day, 9, 0) + dt.timedelta(days=0 if n == 0 else 3))
    topics = run(s, "timeliness_summary").filter((pl.col("teacher_id") == "t_math") & (pl.col("item") == "topic"))
    assert (topics.item(0, "timed"), topics.item(0, "within_deadline")) == (22, 1)
    assert topics.item(0, "share_within_deadline") == 1 / 22
    assert fmt.share(topics.item(0, "share_within_deadline")) == "4,5\u00a0%"


def test_a_mark_entered_before_its_lesson_is_not_in_time_but_homework_posted_ahead_is():
    """A mark dated before its lesson was counted «в срок» and «в день урока» (lag −1 ≤ 0): the Elschool
    sample read 26 of 91 marks in time where 24 were. It is its own finding (mark_entered_before_lesson),
    neither in time nor late; homework posted ahead (regulation 2.7: «лучше заранее») stays on time."""
    s = school()
    l1 = s.lesson("5a", "math", D(2025, 9, 10))
    early = s.mark(l1, "a1", "5", entered_at=T(2025, 9, 9, 18, 0))  # the evening before the lesson
    s.mark(l1, "a2", "4")  # lag 0
    s.homework(l1, entered_at=T(2025, 9, 5, 12, 0))  # five days ahead
    lag = run(s, "mark_lag")
    assert lag.filter(pl.col("mark_id") == early)["timeliness"].to_list() == ["before_lesson"]
    assert run(s, "mark_late").is_empty()
    got = {r["item"]: r for r in run(s, "timeliness_summary").iter_rows(named=True)}
    assert (got["mark"]["timed"], got["mark"]["on_lesson_day"], got["mark"]["within_day"],
            got["mark"]["within_deadline"], got["mark"]["share_within_deadline"]) == (2, 1, 1, 1, 0.5)
    assert (got["homework"]["on_lesson_day"], got["homework"]["share_within_deadline"]) == (1, 1.0)


# ------------------------------------------------------------------ journal checks


def test_topic_plan_mismatch():
    s = school()
    s.insert("plan_lessons", id="pl1", group_id="5a", subject_id="math", number=1, topic="Натуральные числа")
    s.insert("plan_lessons", id="pl2", group_id="5a", subject_id="math", number=2, topic="Дроби")
    s.lesson("5a", "math", D(2025, 9, 8), topic="натуральные   числа", plan_lesson_id="pl1")
    differs = s.lesson("5a", "math", D(2025, 9, 9), topic="Проценты", plan_lesson_id="pl2")
    unlinked = s.lesson("5a", "math", D(2025, 9, 10), topic="Повторение")
    s.lesson("5b", "math", D(2025, 9, 10), topic="Повторение")  # 5Б has no plan: not judged
    df = run(s, "topic_plan_mismatch").sort("event_date")
    assert df.select("lesson_id", "reason").rows() == [(differs, "differs"), (unlinked, "not_linked")]


def test_marks_without_work_type():
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 8))
    bare = s.mark(lesson, "a1", "5", work_type=None)
    s.mark(lesson, "a2", "н/а", work_type=None)
    s.mark(lesson, "a3", "4")
    assert run(s, "mark_work_type_missing")["mark_id"].to_list() == [bare]


def test_lesson_and_student_marks_density():
    s = school()
    # 8 Sep: 5 members, a1 absent → 4 present, 1 marked: 1 < 25 % × 4 is false → meets the norm.
    l1 = s.lesson("5a", "math", D(2025, 9, 8))
    s.absent(l1, "a1", "Б")
    s.mark(l1, "a2", "5")
    # 9 Sep: 5 present, 1 marked: 1 < 1.25 → below the norm.
    l2 = s.lesson("5a", "math", D(2025, 9, 9))
    s.mark(l2, "a3", "4")
    # 10 Sep: a control work is not an ordinary lesson.
    l3 = s.lesson("5a", "math", D(2025, 9, 10))
    s.mark(l3, "a3", "5", work_type="wt_test")
    df = run(s, "lesson_marks_density").sort("event_date")
    assert df.select("lesson_id", "students_present", "students_marked", "marked_share", "below_norm").rows() == [
        (l1, 4, 1, 0.25, False),
        (l2, 5, 1, 0.2, True),
    ]
    st = run(s, "student_marks_density").filter(pl.col("subject_id") == "math")
    got = {r["student_id"]: (r["lessons_attended"], r["lessons_marked"], r["below_norm"]) for r in st.iter_rows(named=True)}
    # a1 attended 2 lessons (absent on 8 Sep), marked on none; a2 marked once in 3; a3 twice in 3.
    assert got["a1"] == (2, 0, True)
    assert got["a2"] == (3, 1, False)  # 1 ≥ 30 % × 3 = 0.9
    assert got["a3"] == (3, 2, False)


def test_control_work_incomplete_after_grace_period():
    s = school()
    cw = s.lesson("5a", "math", D(2025, 9, 10))
    s.mark(cw, "a1", "5", work_type="wt_test")  # on time
    s.mark(cw, "a2", "4", work_type="wt_test", entered_at=T(2025, 9, 20, 9, 0))  # 10 days: after the grace
    s.absent(cw, "a3", "Б")  # absent: not expected
    s.absent(cw, "a4", "О")  # late: expected, no mark
    full = s.lesson("5b", "math", D(2025, 9, 10))
    s.mark(full, "b1", "3", work_type="wt_test")
    df = run(s, "control_work_incomplete")
    assert df.select("lesson_id", "students_expected", "students_marked", "students_unmarked").rows() == [
        (cw, 4, 1, 3)]
    assert df["unmarked_students"].to_list() == [["a2", "a4", "mover"]]
    # Checked on 15 Sep the work is 5 days old: not judged yet.
    assert run(s, "control_work_incomplete", as_of=D(2025, 9, 15)).is_empty()
    # A 14-day grace period forgives a2's mark entered on day 10.
    relaxed = run(s, "control_work_incomplete", norms_with(journal={"control_work_grace_days": 14}))
    assert relaxed["unmarked_students"].to_list() == [["a4", "mover"]]


def _four_lessons(s: School) -> list[str]:
    return [s.lesson("5a", "math", D(2025, 9, d)) for d in (8, 9, 10, 11)]


def test_two_after_absence():
    s = school()
    l1, l2, l3, _ = _four_lessons(s)
    s.absent(l1, "a1", "Н")
    hit = s.mark(l2, "a1", "2")
    s.mark(l2, "a2", "2-")  # no absence before
    s.absent(l2, "a3", "О")  # late is not absence
    s.mark(l3, "a3", "2")
    s.absent(l1, "a4", "Б")
    s.mark(l3, "a4", "2")  # two lessons after the absence
    df = run(s, "two_after_absence")
    assert df["mark_id"].to_list() == [hit] and df["absence_date"].to_list() == [D(2025, 9, 8)]


def test_two_not_corrected_and_two_in_a_row():
    s = school()
    l1, l2, l3, l4 = _four_lessons(s)
    stuck = s.mark(l1, "a1", "2")  # nothing after it in l2, l3, l4
    a2_two = s.mark(l1, "a2", "2")
    s.mark(l3, "a2", "4")  # corrected within 3 lessons
    a3_two = s.mark(l2, "a3", "2")  # only l3, l4 after it: not judged yet
    s.mark(l1, "a4", "2")
    a4_second = s.mark(l2, "a4", "2")  # two in a row; the first is "followed by another mark"
    s.mark(l4, "a4", "4")
    assert run(s, "two_not_corrected")["mark_id"].to_list() == [stuck]
    assert run(s, "two_in_a_row")["mark_id"].to_list() == [a4_second]
    # A one-lesson window judges more «2» and forgives fewer.
    one = run(s, "two_not_corrected", norms_with(journal={"two_correction_lessons": 1}))
    assert ids(one, "mark_id") == sorted([stuck, a2_two, a3_two, a4_second])


def test_two_on_period_edges():
    s = school()
    first = s.lesson("5a", "math", D(2025, 9, 1))
    middle = s.lesson("5a", "math", D(2025, 10, 1))
    last = s.lesson("5a", "math", D(2025, 12, 26))
    m1 = s.mark(first, "a1", "2")
    s.mark(middle, "a2", "2")
    m3 = s.mark(last, "a3", "2+")
    df = run(s, "two_on_period_edge").sort("event_date")
    assert df.select("mark_id", "edge").rows() == [(m1, "first"), (m3, "last")]


def test_mark_on_absence_without_comment():
    s = school()
    lesson = s.lesson("5a", "math", D(2025, 9, 8))
    s.absent(lesson, "a1", "Б")
    bad = s.mark(lesson, "a1", "5")
    s.absent(lesson, "a2", "П")
    s.mark(lesson, "a2", "4", comment="тема сдана по протоколу, пропуск по уважительной причине")
    s.absent(lesson, "a3", "О")
    s.mark(lesson, "a3", "3")
    assert run(s, "mark_on_absence_no_comment")["mark_id"].to_list() == [bad]


def test_substitutions_recorded_and_evident():
    s = school()
    recorded = s.lesson("5a", "math", D(2025, 9, 8), planned="t_math", actual="t_sub", is_substitution=True,
                        teacher="t_sub")
    evident = s.lesson("5a", "math", D(2025, 9, 9), entered_by="t_sub")
    s.lesson("5a", "math", D(2025, 9, 10), entered_by="dep")  # the deputy fixed a topic: not a teacher
    subs = run(s, "substitutions")
    assert subs.select("lesson_id", "recorded").rows() == [(recorded, True)]
    un = run(s, "substitution_unrecorded")
    assert un.select("lesson_id", "teacher_id", "entered_by").rows() == [(evident, "t_math", "t_sub")]


def test_programme_delivery_against_plan_and_curriculum():
    s = school()
    for n in range(1, 6):  # plan: one lesson a day, Mon 1 – Fri 5 Sep
        s.insert("plan_lessons", id=f"pl{n}", group_id="5a", subject_id="math", number=n,
                 planned_date=D(2025, 9, n), topic=f"Тема {n}")
    for n in range(1, 5):
        s.lesson("5a", "math", D(2025, 9, n), plan_lesson_id=f"pl{n}")
    s.lesson("5a", "math", D(2025, 9, 5), status="cancelled")
    df = run(s, "programme_delivery", date_from=D(2025, 9, 1), date_to=D(2025, 9, 7))
    assert df.select("group_id", "lessons_held", "lessons_cancelled", "plan_lessons_covered", "ktp_hours_planned",
                     "curriculum_hours_due", "lag_lessons", "delivery_share").rows() == [
        ("5a", 4, 1, 4, 5, 5.0, 1, 0.8)]


def test_entry_after_compromise():
    s = school()
    s.insert("account_incidents", person_id="t_math", reported_at=T(2025, 10, 1, 12, 0))
    lesson = s.lesson("5a", "math", D(2025, 10, 1))
    s.mark(lesson, "a1", "5", entered_at=T(2025, 10, 1, 11, 0))
    after = s.mark(lesson, "a2", "5", entered_at=T(2025, 10, 1, 13, 0))
    df = run(s, "entry_after_compromise")
    # the lesson's topic and roll were entered at 15:00, after the report too (every kind: test_compromise.py)
    assert df.select("kind", "mark_id", "teacher_id").rows() == [
        ("отметка", after, "t_math"), ("посещаемость", None, "t_math"), ("тема", None, "t_math")]


# ------------------------------------------------------------------ scorecard and summary


def test_teacher_scorecard_components_are_the_metric_counts():
    s = school()
    l1 = s.lesson("5a", "math", D(2025, 9, 8), topic=None)
    s.mark(l1, "a1", "5", entered_at=T(2025, 9, 12, 8, 0))  # late
    s.homework(l1)
    s.lesson("5a", "math", D(2025, 9, 9), roll_at=None)  # no homework, no roll
    s.lesson("5a_eng1", "eng", D(2025, 9, 9), teacher="t_eng", status="cancelled")
    card = queries.teacher_scorecard(s.con, queries.Scope(period_id="p1", as_of=AS_OF), NORMS)
    row = card.filter(pl.col("teacher_id") == "t_math").row(0, named=True)
    assert (row["lessons_held"], row["marks"], row["lessons_with_homework"]) == (2, 1, 1)
    assert (row["topic_missing"], row["homework_missing"], row["attendance_unmarked"], row["mark_late"]) == (1, 1, 1, 1)
    assert row["mark_in_time_share"] == 0.0 and row["attendance_in_time_share"] == 1.0
    eng = card.filter(pl.col("teacher_id") == "t_eng").row(0, named=True)
    assert (eng["lessons_held"], eng["lessons_cancelled"], eng["topic_missing"]) == (0, 1, 0)
    summary = queries.period_summary(s.con, queries.Scope(period_id="p1", as_of=AS_OF), NORMS)
    found = dict(zip(summary["metric"], summary["findings"]))
    assert (found["topic_missing"], found["mark_late"], found["homework_missing"]) == (1, 1, 1)


@pytest.mark.parametrize("metric", [m.name for m in queries.catalog()])
def test_every_metric_runs_on_an_empty_warehouse(metric):
    s = school()
    assert run(s, metric).is_empty()


def test_double_lesson_is_two_lessons():
    """A double lesson (two numbers, one day) is judged lesson by lesson, in timetable order."""
    s = school()
    first = s.lesson("5a", "math", D(2025, 9, 8), 2)
    second = s.lesson("5a", "math", D(2025, 9, 8), 3)
    s.homework(second)  # homework given at the end of the double: the first half has none
    s.absent(first, "a1", "Н")
    two = s.mark(second, "a1", "2")  # the next held lesson after the absence is the second half
    assert ids(run(s, "homework_missing")) == [first]
    assert run(s, "two_after_absence")["mark_id"].to_list() == [two]
