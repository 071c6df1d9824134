"""The schedule of assessment procedures (domain-notes §2; [assessment] of etl/norms.toml) on a school built
in code, every expected row computed by hand from the rows inserted below.

The base school is tests/metrics_fixtures.py (5А = a1..a4 + mover; subgroup 5А англ. 1 гр. = a1, a2, English
1 h a week; 5Б = b1 + mover from 16 Oct); this file adds a second English subgroup (a3, a4; 2 h a week).
Semester p1 (1 Sep – 26 Dec 2025), checked on 1 Feb 2026.

Procedures (lessons with a control-work mark), with the class's lessons on their days:
  5А math   Mon 08.09  lessons 2 and 3 (a double)  day 1 PE, 2–3 math, 4 lit   → one procedure, 2 lessons
  5А math   Fri 19.09  lesson 2, CANCELLED, a control mark on it                → no procedure
  5Б math   Wed 10.09  lesson 2                     day 1 PE, 2 math, 3 PE
  5А math   Fri 26.09  lesson 1                     day 1 math, 2 PE       → 18 days after 08.09; first lesson
  5А eng1   Wed 01.10  lesson 1                     day 1 eng1, 2 lit      → first lesson, but 1 h a week
  5Б math   Wed 01.10  lesson 2                     day 1 PE, 2 math, 3 PE → 21 days after 10.09
  5А eng2   Fri 03.10  lesson 1                     day 1 eng2, 2 lit      → first lesson; 2 days after eng1's
  5А math   Mon 13.10  lesson 3                     day 1 lit, 3 math, 5 PE → 17 days after 26.09
Held lessons in p1: 5А math 40 (4 of them assessment lessons: 10 % exactly), 5Б math 15 (2: 13.3 %),
each English subgroup 10 (1: 10 %).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

import queries
from reports import spravka
from reports.model import Paragraph, Table
from tests.metrics_fixtures import AS_OF, D, School, school
from tests.test_metrics_journal import norms_with, run

SPECIAL = {D(2025, 9, 8), D(2025, 9, 10), D(2025, 9, 19), D(2025, 9, 26), D(2025, 10, 1), D(2025, 10, 3),
           D(2025, 10, 13)}


def _filler_days(n: int) -> list[dt.date]:
    """The first `n` school days of the semester outside the autumn vacation and the days above."""
    days, d = [], D(2025, 9, 1)
    while len(days) < n:
        if d.weekday() < 5 and not D(2025, 10, 27) <= d <= D(2025, 11, 4) and d not in SPECIAL:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _control(s: School, lesson: str, student: str) -> str:
    return s.mark(lesson, student, "4", work_type="wt_test")


def _school() -> tuple[School, dict[str, str]]:
    s = school()
    s.insert("groups", id="5a_eng2", school_id="s1", academic_year_id="y25", name="5А англ. 2 гр.",
             kind="subgroup", grade=5, parent_group_id="5a", subject_id="eng")
    for st in ("a3", "a4"):
        s.insert("memberships", group_id="5a_eng2", student_id=st, valid_from=D(2025, 9, 1), valid_to=None)
    s.insert("curriculum", group_id="5a_eng2", subject_id="eng", teacher_id="t_sub", weekly_hours=2)
    L: dict[str, str] = {}
    # 08.09: PE 1, the double 2–3 (a control mark on each half), literature 4
    s.lesson("5a", "pe", D(2025, 9, 8), 1, teacher="t_sub")
    L["double1"] = s.lesson("5a", "math", D(2025, 9, 8), 2)
    L["double2"] = s.lesson("5a", "math", D(2025, 9, 8), 3)
    s.lesson("5a", "lit", D(2025, 9, 8), 4, teacher="t_eng")
    _control(s, L["double1"], "a1")
    _control(s, L["double2"], "a2")
    # 19.09: a cancelled lesson that still carries a control mark
    L["cancelled"] = s.lesson("5a", "math", D(2025, 9, 19), 2, status="cancelled")
    _control(s, L["cancelled"], "a1")
    # 26.09: math first, PE second
    L["first"] = s.lesson("5a", "math", D(2025, 9, 26), 1)
    s.lesson("5a", "pe", D(2025, 9, 26), 2, teacher="t_sub")
    _control(s, L["first"], "a3")
    # 13.10: literature 1, math 3, PE 5
    s.lesson("5a", "lit", D(2025, 10, 13), 1, teacher="t_eng")
    L["close"] = s.lesson("5a", "math", D(2025, 10, 13), 3)
    s.lesson("5a", "pe", D(2025, 10, 13), 5, teacher="t_sub")
    _control(s, L["close"], "a4")
    # 01.10 and 03.10: each English subgroup writes on the first lesson, literature follows
    L["eng1"] = s.lesson("5a_eng1", "eng", D(2025, 10, 1), 1, teacher="t_eng")
    s.lesson("5a", "lit", D(2025, 10, 1), 2, teacher="t_eng")
    _control(s, L["eng1"], "a1")
    L["eng2"] = s.lesson("5a_eng2", "eng", D(2025, 10, 3), 1, teacher="t_sub")
    s.lesson("5a", "lit", D(2025, 10, 3), 2, teacher="t_eng")
    _control(s, L["eng2"], "a3")
    # 5Б: math 2 between PE 1 and PE 3 on 10.09 and 01.10
    for key, day in (("5b_1", D(2025, 9, 10)), ("5b_2", D(2025, 10, 1))):
        s.lesson("5b", "pe", day, 1, teacher="t_sub")
        L[key] = s.lesson("5b", "math", day, 2)
        s.lesson("5b", "pe", day, 3, teacher="t_sub")
        _control(s, L[key], "b1")
    # ordinary lessons (an ordinary mark on one of them): 5А math 36 + 4 = 40, 5Б math 13 + 2 = 15, English 9 + 1
    days = _filler_days(36)
    for d in days:
        s.lesson("5a", "math", d, 2)
    s.mark(s.lesson("5b", "math", days[0], 4), "b1", "5")
    for d in days[1:13]:
        s.lesson("5b", "math", d, 4)
    for d in days[:9]:
        s.lesson("5a_eng1", "eng", d, 6, teacher="t_eng")
        s.lesson("5a_eng2", "eng", d, 6, teacher="t_sub")
    return s, L


def test_schedule_lists_every_procedure_once():
    s, L = _school()
    df = run(s, "assessment_schedule")
    got = df.select("lesson_ids", "group_id", "event_date", "lesson_numbers", "lessons", "procedure_number",
                    "previous_assessment_date", "days_since_previous", "too_frequent", "day_edge", "weekly_hours",
                    "edge_exempt", "on_day_edge").rows()
    assert got == [
        ([L["double1"], L["double2"]], "5a", D(2025, 9, 8), [2, 3], 2, 1, None, None, False, None, 5.0, False, False),
        ([L["5b_1"]], "5b", D(2025, 9, 10), [2], 1, 1, None, None, False, None, 5.0, False, False),
        ([L["first"]], "5a", D(2025, 9, 26), [1], 1, 2, D(2025, 9, 8), 18, False, "first", 5.0, False, True),
        ([L["eng1"]], "5a_eng1", D(2025, 10, 1), [1], 1, 1, None, None, False, "first", 1.0, True, False),
        ([L["5b_2"]], "5b", D(2025, 10, 1), [2], 1, 2, D(2025, 9, 10), 21, False, None, 5.0, False, False),
        ([L["eng2"]], "5a_eng2", D(2025, 10, 3), [1], 1, 1, None, None, False, "first", 2.0, False, True),
        ([L["close"]], "5a", D(2025, 10, 13), [3], 1, 3, D(2025, 9, 26), 17, True, None, 5.0, False, False),
    ]
    assert L["cancelled"] not in df["lesson_id"].to_list()
    assert df.filter(pl.col("group_id") == "5a_eng2")["teacher_id"].to_list() == ["t_sub"]


def test_too_frequent_at_17_days_not_at_18():
    s, L = _school()
    df = run(s, "assessment_too_frequent")
    assert df.select("lesson_id", "teacher_id", "class_id", "subject_id", "event_date", "previous_lesson_id",
                     "previous_assessment_date", "days_since_previous").rows() == [
        (L["close"], "t_math", "5a", "math", D(2025, 10, 13), L["first"], D(2025, 9, 26), 17)]
    # 17 days allowed (a school counting 2.5 weeks down to 17 days): nothing; 21.5 days: the 18- and 21-day gaps too
    assert run(s, "assessment_too_frequent", norms_with(assessment={"min_interval_days": 17})).is_empty()
    wider = run(s, "assessment_too_frequent", norms_with(assessment={"min_interval_days": 21.5}))
    assert wider["lesson_id"].to_list() == [L["first"], L["5b_2"], L["close"]]


def test_first_or_last_lesson_of_the_day_except_one_hour_subjects():
    s, L = _school()
    df = run(s, "assessment_day_edge")
    assert df.select("lesson_id", "group_id", "class_id", "lesson_numbers", "day_first_number", "day_last_number",
                     "day_edge", "weekly_hours").rows() == [
        (L["first"], "5a", "5a", [1], 1, 2, "first", 5.0),
        (L["eng2"], "5a_eng2", "5a", [1], 1, 2, "first", 2.0)]
    # no exemption: the 1-hour subgroup's first lesson is a case too
    strict = run(s, "assessment_day_edge", norms_with(assessment={"edge_exempt_weekly_hours": 0}))
    assert strict["lesson_id"].to_list() == [L["first"], L["eng1"], L["eng2"]]


def test_share_above_the_norm_not_at_it():
    s, L = _school()
    df = run(s, "assessment_share_high")
    assert df.select("period_id", "teacher_id", "group_id", "subject_id", "procedures", "assessment_lessons",
                     "lessons_held", "assessment_dates", "lesson_ids").rows() == [
        ("p1", "t_math", "5b", "math", 2, 2, 15, [D(2025, 9, 10), D(2025, 10, 1)], [L["5b_1"], L["5b_2"]])]
    assert df["assessment_share"].to_list() == [2 / 15]
    # at 9 %, the courses at exactly 10 % are cases: 5А math (the double counts as two lessons) and both subgroups
    lower = run(s, "assessment_share_high", norms_with(assessment={"max_share": 0.09}))
    assert lower.select("group_id", "assessment_lessons", "lessons_held").rows() == [
        ("5a", 4, 40), ("5a_eng1", 1, 10), ("5a_eng2", 1, 10), ("5b", 2, 15)]
    # a period that has not ended on the check day is not judged: its share is not yet the period's
    assert run(s, "assessment_share_high", as_of=D(2025, 12, 1)).is_empty()
    assert AS_OF > D(2025, 12, 26)


def test_scope_filters_narrow_the_schedule():
    s, L = _school()
    subgroup = run(s, "assessment_schedule", group_id="5a_eng2")
    assert subgroup["lesson_id"].to_list() == [L["eng2"]]
    whole_class = run(s, "assessment_schedule", group_id="5a")  # a class takes its subgroups
    assert whole_class["lesson_id"].to_list() == [L["double1"], L["first"], L["eng1"], L["eng2"], L["close"]]
    # a subject filter does not shrink the class's day: 26.09 math is still its first lesson of two
    math = run(s, "assessment_day_edge", subject_id="math")
    assert math.select("lesson_id", "day_last_number").rows() == [(L["first"], 2)]


def test_spravka_states_the_schedule_and_its_breaches_as_remarks():
    s, _ = _school()
    built = spravka.build(s.con, queries.Scope(period_id="p1"), spravka.SpravkaOptions(date=AS_OF))
    texts = [b.text for b in built.document.blocks if isinstance(b, Paragraph)]
    start = texts.index("4. Контрольные работы: полный ряд отметок и график оценочных процедур")
    section = texts[start:start + 6]
    assert section[2].startswith("Проведено 7\u00a0оценочных процедур (уроки с отметками за контрольные работы).")
    assert "не чаще 1 раза в 2,5\u00a0недели (17,5\u00a0дня), не больше 10\u00a0% уроков предмета" in section[2]
    assert section[4].startswith("Оценочные процедуры чаще 1 раза в 2,5\u00a0недели (17,5\u00a0дня): 1\u00a0процедура")
    assert section[5].startswith("Оценочные процедуры заняли больше 10\u00a0% уроков предмета: 1\u00a0курс")
    tables = [b for b in built.document.blocks if isinstance(b, Table)]
    frequent = next(t for t in tables if t.columns[-1].title == "Дней между")
    assert [row[1:] for row in frequent.rows] == [("5А", "Математика", "26.09.2025", "13.10.2025", "17")]
    shares = next(t for t in tables if t.columns[-1].title == "Даты процедур")
    assert [row[1:6] for row in shares.rows] == [("5Б", "Математика", "2", "15", "13,3\u00a0%")]
    edges = [row for t in tables if t.columns[0].title == "Учитель" and len(t.columns) == 6 for row in t.rows
             if row[3] == "оценочная процедура на первом или последнем уроке дня"]
    assert [(row[1], row[4], row[5]) for row in edges] == [("5А", "1", "26.09"), ("5А англ. 2 гр.", "1", "03.10")]
    # remarks of the schedule, not a teacher's breach of the regulation
    assert not any("оценочн" in spravka.personal_breaches(built.findings, t, built.options.norms)
                   for t in built.violators)
