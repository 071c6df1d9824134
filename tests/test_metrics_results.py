"""Attendance, period-mark and results metrics, scope resolution and norm overrides, on hand-built fixtures.

Base school (tests/metrics_fixtures.py): 5А = a1..a4 + mover until 15 Oct; 5Б = b1 + mover from 16 Oct;
subgroup 5А англ. 1 = a1, a2; weights: answer 1, control work 2; 5А maths 5 h/week, English 1 h/week.
"""

from __future__ import annotations

import polars as pl
import pytest

import queries
from tests.metrics_fixtures import AS_OF, SEM, D, T, School, school
from tests.test_metrics_journal import NORMS, ids, norms_with, run

# ------------------------------------------------------------------ attendance


def _attendance_school() -> tuple[School, dict[str, str]]:
    s = school()
    L = {
        "sep8_math": s.lesson("5a", "math", D(2025, 9, 8), 1),
        "sep8_lit": s.lesson("5a", "lit", D(2025, 9, 8), 2, teacher="t_eng"),
        "oct20_math": s.lesson("5a", "math", D(2025, 10, 20), 1),
        "oct20_5b": s.lesson("5b", "math", D(2025, 10, 20), 2),
    }
    s.absent(L["sep8_math"], "a1", "Б")
    s.absent(L["sep8_lit"], "a1", "Б")  # a1 missed the whole of 8 Sep through illness
    s.absent(L["sep8_math"], "a2", "О")  # late: present
    s.absent(L["oct20_math"], "a3", "Н")
    s.absent(L["oct20_5b"], "mover", "П")
    return s, L


def test_attendance_summary_by_class_month_and_total():
    s, _ = _attendance_school()
    df = run(s, "attendance_summary")
    # Student-lessons: 8 Sep 5 + 5 (5А incl. mover), 20 Oct 4 (5А without mover) + 2 (5Б) = 16.
    total = df.filter(pl.col("dimension") == "total").row(0, named=True)
    assert (total["student_lessons"], total["absences"], total["absent_illness"], total["absent_unexcused"],
            total["absent_excused"], total["late"]) == (16, 4, 2, 1, 1, 1)
    assert total["attendance_rate"] == 0.75
    by_class = {r["class_id"]: (r["student_lessons"], r["absences"], r["attendance_rate"])
                for r in df.filter(pl.col("dimension") == "class").iter_rows(named=True)}
    assert by_class == {"5a": (14, 3, 1 - 3 / 14), "5b": (2, 1, 0.5)}
    by_month = {r["month_start"]: (r["student_lessons"], r["absences"])
                for r in df.filter(pl.col("dimension") == "month").iter_rows(named=True)}
    assert by_month == {D(2025, 9, 1): (10, 2), D(2025, 10, 1): (6, 2)}
    # the students who sat each class's and subject's lessons: 5А's five (the mover until 15 Oct), 5Б's two
    assert {(r["dimension"], r["class_id"] or r["subject_id"]): r["students"]
            for r in df.filter(pl.col("dimension").is_in(["class", "subject"])).iter_rows(named=True)} == \
        {("class", "5a"): 5, ("class", "5b"): 2, ("subject", "math"): 6, ("subject", "lit"): 5}


def test_absences_by_reason_are_also_shares_of_the_lessons():
    """«Пропуски по месяцам и причинам» drew counts: a month with a vacation in it, or cut by the period
    (January from the 12th), has fewer lessons and so fewer absences, and read as a better month. By hand:
    September 10 student-lessons, 2 by illness → 0,2; October 6, one unexcused and one excused → 1/6 each (exact: shares are rounded where shown)."""
    s, _ = _attendance_school()
    df = run(s, "attendance_summary")
    by_month = {r["month_start"]: (r["illness_share"], r["excused_share"], r["unexcused_share"])
                for r in df.filter(pl.col("dimension") == "month").iter_rows(named=True)}
    assert by_month == {D(2025, 9, 1): (0.2, 0.0, 0.0), D(2025, 10, 1): (0.0, 1 / 6, 1 / 6)}
    total = df.filter(pl.col("dimension") == "total").row(0, named=True)
    assert (total["illness_share"], total["excused_share"], total["unexcused_share"]) == (0.125, 0.0625, 0.0625)


def test_attendance_students_full_days():
    s, _ = _attendance_school()
    df = run(s, "attendance_students")
    got = {(r["student_id"], r["class_id"]): r for r in df.iter_rows(named=True)}
    a1 = got[("a1", "5a")]
    assert (a1["lessons"], a1["absences"], a1["full_days_missed"], a1["full_days_illness"]) == (3, 2, 1, 1)
    a3 = got[("a3", "5a")]  # missed the only lesson of 20 Oct: a full day, unexcused
    assert (a3["absences"], a3["full_days_missed"], a3["full_days_unexcused"]) == (1, 1, 1)
    assert got[("a2", "5a")]["late"] == 1 and got[("a2", "5a")]["absences"] == 0
    # The mover is counted in each class for the lessons he had there.
    assert got[("mover", "5a")]["lessons"] == 2 and got[("mover", "5b")]["absent_excused"] == 1


def test_chronic_absentees_and_na_risk():
    s = school()
    lessons = [s.lesson("5a", "math", D(2025, 9, d)) for d in (8, 9, 10, 11, 12, 15)]
    for lesson in lessons[:2]:
        s.absent(lesson, "a1", "Н")  # 2 of 6 in September: 33 % ≥ 30 %
    s.absent(lessons[0], "a3", "Б")  # 1 of 6: 17 %
    for lesson in lessons[:3]:
        s.absent(lesson, "a4", "Б")  # 3 of 6: 50 % → also «н/а» risk
    chronic = run(s, "chronic_absentees")
    assert chronic.select("student_id", "absences", "lessons", "absence_share").rows() == [
        ("a1", 2, 6, 2 / 6), ("a4", 3, 6, 0.5)]
    assert run(s, "na_risk").select("student_id", "subject_id", "absence_share").rows() == [("a4", "math", 0.5)]
    stricter = norms_with(attendance={"na_risk_missed_share": 0.3})
    assert ids(run(s, "na_risk", stricter), "student_id") == ["a1", "a4"]


def test_illness_spikes():
    s = school()
    sick = s.lesson("5a", "math", D(2025, 9, 8))
    s.lesson("5a", "math", D(2025, 9, 9))
    s.absent(sick, "a1", "Б")  # 1 of 5 students: 20 %
    df = run(s, "illness_spikes")
    assert df.select("class_id", "event_date", "source", "students", "ill", "ill_share", "quarantine").rows() == [
        ("5a", D(2025, 9, 8), "attendance", 5, 1, 0.2, False)]
    assert run(s, "illness_spikes", norms_with(attendance={"illness_spike_share": 0.25})).is_empty()
    # A recorded quarantine of 5Б shows on its first day even though its lessons are cancelled.
    s.insert("holidays", school_id="s1", academic_year_id="y25", name="Карантин 5Б", kind="quarantine",
             start_date=D(2025, 11, 10), end_date=D(2025, 11, 14), group_id="5b")
    df = run(s, "illness_spikes", norms_with(attendance={"illness_spike_share": 0.25}))
    assert df.select("class_id", "event_date", "source", "quarantine").rows() == [
        ("5b", D(2025, 11, 10), "quarantine", True)]


# ------------------------------------------------------------------ period marks


def _marks(s: School, group: str, subject: str, student: str, values: list[str], **kw) -> None:
    """One lesson per mark, on consecutive September school days (8, 9, 10, …)."""
    days = [D(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]
    for day, value in zip(days, values):
        rows = s.con.execute("SELECT id FROM lessons WHERE group_id = ? AND subject_id = ? AND lesson_date = ?",
                             [group, subject, day]).fetchall()
        lesson = rows[0][0] if rows else s.lesson(group, subject, day, teacher=kw.get("teacher", "t_math"))
        s.mark(lesson, student, value, **{k: v for k, v in kw.items() if k != "teacher"})


def test_period_mark_mismatch_and_rounding_overrides():
    s = school()
    _marks(s, "5a", "math", "a1", ["5", "5", "4"])
    s.mark(s.lesson("5a", "math", D(2025, 10, 1)), "a1", "4", work_type="wt_test")  # (5+5+4+2·4)/5 = 4.40
    _marks(s, "5a", "math", "a2", ["5", "4"])  # 4.50 exactly
    _marks(s, "5a", "math", "a3", ["4-", "5", "5"])  # «4-» counts as 4: 4.67
    _marks(s, "5a", "math", "a4", ["3", "3", "4"])  # 3.33
    for st, v in (("a1", "5"), ("a2", "5"), ("a3", "5"), ("a4", "3")):
        s.period_mark(st, "math", "5a", v)
    df = run(s, "period_mark_mismatch")
    assert df.select("student_id", "weighted_avg", "expected_mark", "period_mark", "detail").rows() == [
        ("a1", 4.4, 4, "5", "4.40→5")]
    at_46 = run(s, "period_mark_mismatch", norms_with(rounding={"to_5": 4.6}))
    assert ids(at_46, "student_id") == ["a1", "a2"]  # 4.5 no longer rounds to «5»
    at_47 = run(s, "period_mark_mismatch", norms_with(rounding={"to_5": 4.7}))
    assert ids(at_47, "student_id") == ["a1", "a2", "a3"]


def test_too_few_marks_by_weekly_hours():
    s = school()
    _marks(s, "5a", "math", "a1", ["5"] * 7)  # 5 h/week → 7 required: enough
    _marks(s, "5a", "math", "a2", ["4"] * 6)  # 6 < 7
    _marks(s, "5a", "math", "a3", ["4"] * 8)
    s.con.execute("UPDATE marks SET counts_in_average = false WHERE student_id = 'a3' AND lesson_date <= ?",
                  [D(2025, 9, 9)])  # two marks that do not count: 6 < 7
    _marks(s, "5a", "math", "a4", [])
    s.period_mark("a4", "math", "5a", "осв")  # exempt from the subject: no marks expected, not listed
    _marks(s, "5a", "math", "mover", ["4", "4", "4"])  # 3 marks in 5А before moving …
    for d in (20, 21):  # … and 2 in 5Б after: 5 < 7, listed once, under 5Б
        s.mark(s.lesson("5b", "math", D(2025, 10, d)), "mover", "5")
    s.mark(s.lesson("5b", "math", D(2025, 10, 22)), "b1", "5")  # 1 < 7
    _marks(s, "5a_eng1", "eng", "a1", ["5", "5"], teacher="t_eng")  # 1 h/week → 3 required
    _marks(s, "5a_eng1", "eng", "a2", ["5", "5", "5"], teacher="t_eng")
    df = run(s, "too_few_marks")
    got = {(r["student_id"], r["subject_id"]): (r["counted_marks"], r["required_marks"]) for r in df.iter_rows(named=True)}
    assert got == {("a2", "math"): (6, 7), ("a3", "math"): (6, 7),
                   ("mover", "math"): (5, 7), ("b1", "math"): (1, 7), ("a1", "eng"): (2, 3)}
    assert df.filter(pl.col("student_id") == "mover")["group_id"].to_list() == ["5b"]
    # A school asking for 2 marks whatever the load: only b1 (1 mark) stays; a4 (0 marks) is exempt.
    lenient = norms_with(min_marks={"by_weekly_hours": [{"hours": 0, "marks": 2}]})
    assert ids(run(s, "too_few_marks", lenient), "student_id") == ["b1"]


def test_period_mark_missing_and_late():
    s = school()
    s.lesson("5a", "math", D(2025, 9, 8))
    s.lesson("5a_eng1", "eng", D(2025, 9, 8), 2, teacher="t_eng")
    s.period_mark("a1", "math", "5a", "5", entered_at=T(2025, 12, 27, 9, 0))  # the day after: in time
    s.period_mark("a2", "math", "5a", "н/а", entered_at=T(2025, 12, 28, 9, 0))  # 2 days after: late
    s.period_mark("a3", "math", "5a", "4")
    s.period_mark("a1", "eng", "5a_eng1", "осв")
    df = run(s, "period_mark_missing")
    # a4 has no maths mark; a2 no English mark; the mover left 5А and joined 5Б mid-period; b1's 5Б had no lessons.
    assert df.select("student_id", "subject_id", "group_id").rows() == [("a2", "eng", "5a_eng1"), ("a4", "math", "5a")]
    assert run(s, "period_mark_missing", as_of=D(2025, 12, 20)).is_empty()  # the period has not ended
    late = run(s, "period_mark_late")
    assert late.select("student_id", "days_after_end").rows() == [("a2", 2)]


# ------------------------------------------------------------------ results


def _results_school() -> School:
    s = school()
    for st, v in (("a1", "5"), ("a2", "4"), ("a3", "3"), ("a4", "н/а")):
        s.period_mark(st, "math", "5a", v)
    s.period_mark("a1", "eng", "5a_eng1", "осв")
    s.period_mark("a2", "eng", "5a_eng1", "2")
    for st in ("a1", "a2"):  # the previous semester, in 4А
        s.period_mark(st, "math", "4a", "5", period="p0", entered_at=T(2025, 5, 29, 9, 0))
    return s


def test_results_summary_success_quality_sou_and_change():
    s = _results_school()
    df = run(s, "results_summary")
    rows = {(r["dimension"], r["key"]): r for r in df.iter_rows(named=True)}
    school_row = rows[("school", "all")]
    # N = 5 (grades 5, 4, 3, 2 and one «н/а»; «осв» is outside): успеваемость 3/5, качество 2/5,
    # СОУ (100 + 64 + 36 + 16 + 7) / 5 = 44.6.
    assert (school_row["n"], school_row["n_exempt"], school_row["success_pct"], school_row["quality_pct"],
            school_row["sou_pct"]) == (5, 1, 60.0, 40.0, 44.6)
    assert (school_row["prev_success_pct"], school_row["success_change"], school_row["quality_change"],
            school_row["sou_change"]) == (100.0, -40.0, -60.0, -55.4)
    maths = rows[("subject", "math")]  # 5, 4, 3, н/а: 75 %, 50 %, (100+64+36+7)/4 = 51.75
    assert (maths["n"], maths["success_pct"], maths["quality_pct"], maths["sou_pct"]) == (4, 75.0, 50.0, 51.8)
    assert rows[("class", "5a")]["n"] == 5  # the subgroup's marks belong to class 5А
    assert rows[("level", "5-9")]["avg_period_mark"] == 3.5  # (5 + 4 + 3 + 2) / 4
    assert rows[("teacher", "t_eng")]["success_pct"] == 0.0
    # Another SОУ weight for «н/а» changes the index only.
    other = run(s, "results_summary", norms_with(sou={"not_attested": 0}))
    assert other.filter(pl.col("dimension") == "school")["sou_pct"].to_list() == [43.2]


def test_student_categories():
    s = school()
    plan = {"a1": ("5", "5"), "a2": ("4", "5"), "a3": ("3", "5"), "a4": ("н/а", "2"), "b1": ("3", "3"),
            "mover": ("2", "осв")}
    for st, (m, lit) in plan.items():
        group = "5b" if st in ("b1", "mover") else "5a"
        s.period_mark(st, "math", group, m)
        s.period_mark(st, "lit", group, lit)
    df = run(s, "student_categories")
    got = {r["student_id"]: (r["category"], r["one_four"]) for r in df.iter_rows(named=True)}
    assert got == {"a1": ("excellent", False), "a2": ("good", True), "a3": ("one_three", False),
                   "a4": ("not_attested", False), "b1": ("satisfactory", False), "mover": ("failing", False)}


def test_summary_sheet_has_every_enrolled_student():
    s = school()
    _marks(s, "5a", "math", "a1", ["5", "4"])
    s.mark(s.lesson("5a", "math", D(2025, 10, 1)), "a1", "3", work_type="wt_test")
    s.period_mark("a1", "math", "5a", "4")
    df = run(s, "summary_sheet", subject_id="math")
    assert df.select("student_id", "period_mark", "counted_marks", "avg_mark", "weighted_avg").rows() == [
        ("a1", "4", 3, 4.0, 3.75), ("a2", None, 0, None, None), ("a3", None, 0, None, None),
        ("a4", None, 0, None, None)]  # the mover left 5А; 5Б had no maths lessons


# ------------------------------------------------------------------ scope


def test_scope_filters_class_with_subgroups_teacher_and_level():
    s = school()
    a = s.lesson("5a", "math", D(2025, 9, 8), topic=None)
    sub = s.lesson("5a_eng1", "eng", D(2025, 9, 8), 2, teacher="t_eng", topic=None)
    b = s.lesson("5b", "math", D(2025, 9, 8), topic=None)
    assert ids(run(s, "topic_missing", group_id="5a")) == sorted([a, sub])
    assert ids(run(s, "topic_missing", teacher_id="t_eng")) == [sub]
    assert ids(run(s, "topic_missing", subject_id="math")) == sorted([a, b])
    assert ids(run(s, "topic_missing", grade=5)) == sorted([a, sub, b])
    assert run(s, "topic_missing", level="1-4").is_empty()
    by_dates = run(s, "topic_missing", date_from=D(2025, 9, 8), date_to=D(2025, 9, 8), school_id="s1")
    assert ids(by_dates) == sorted([a, sub, b])


@pytest.mark.parametrize("scope, message", [
    (dict(period_id="nope"), "период «nope» не найден"),
    (dict(period_id="p1", date_from=D(2025, 9, 1)), "либо период"),
    (dict(date_from=D(2025, 9, 2), date_to=D(2025, 9, 1)), "позже даты"),
    (dict(date_from=D(2025, 9, 2)), "обе даты"),
    (dict(period_id="p1", level="10-11"), "не пересекаются"),
    (dict(period_id="p1", level="5-8"), "уровень «5-8»"),
    (dict(period_id="p1", group_id="9z"), "класс «9z»"),
    (dict(period_id="p1", school_id="s2"), "школа «s2» не найдена в хранилище: укажите ИД; школы: s1"),
    (dict(period_id="h1", group_id="5a"), r"класс «5a» \(5-я параллель\) не входит .* \(параллели 10–11\)"),
    (dict(period_id="p1", grade=6, group_id="5a_eng1"), r"\(5-я параллель\) не входит .* \(6-я параллель\)"),
    (dict(period_id="p1", group_id="4a"), "класс «4a» относится к 2024/2025 учебному году"),
    (dict(period_id="p1", teacher_id="a1"), "«a1» — ученик, а не учитель"),
    (dict(period_id="p1", subject_id="chem"), "предмет «chem» не найден"),
])
def test_bad_scope_is_a_plain_message(scope, message):
    s = school()
    with pytest.raises(queries.ScopeError, match=message):
        queries.run(s.con, "topic_missing", queries.Scope(**scope), NORMS)


def test_class_subject_or_teacher_of_another_school_is_refused_not_empty():
    """A class, subject or teacher of another school would give empty figures that read as «no violations»."""
    s = school()
    s.insert("schools", id="s2", name="Лицей", school_week_days=6)
    s.insert("people", id="t_s2", school_id="s2", role="teacher", last_name="Орлова", first_name="Имя")
    s.insert("subjects", id="chem", school_id="s2", name="Химия")
    s.insert("groups", id="7l", school_id="s2", academic_year_id="y25", name="7Л", kind="class", grade=7)
    cases = [(dict(period_id="p1", school_id="s2"), r"период «p1» относится к другой школе \(s1\)"),
             (dict(period_id="p1", group_id="7l"), r"класс «7l» относится к другой школе \(s2\); выбрана школа s1"),
             (dict(period_id="p1", teacher_id="t_s2"), r"учитель «t_s2» относится к другой школе \(s2\)"),
             (dict(period_id="p1", subject_id="chem"), r"предмет «chem» относится к другой школе \(s2\)"),
             (dict(date_from=SEM[1], date_to=SEM[2], group_id="5a", teacher_id="t_s2"),
              r"учитель «t_s2» относится к другой школе \(s2\); класс «5a» — к школе s1")]
    for scope, message in cases:
        with pytest.raises(queries.ScopeError, match=message):
            queries.run(s.con, "topic_missing", queries.Scope(**scope), NORMS)
    # the same class and teacher over dates with no school named: a scope of their own school, accepted
    assert run(s, "topic_missing", date_from=SEM[1], date_to=SEM[2], group_id="7l",
               teacher_id="t_s2").is_empty()


@pytest.mark.parametrize("kind, id_, expected", [
    ("school", "s1", True), ("school", "s2", False),
    ("class", "5a", True), ("class", "5a_eng1", False),  # a subgroup is no class
    ("group", "5a_eng1", True), ("group", "9z", False),
    ("subject", "eng", True), ("person", "t_math", True), ("person", "nobody", False),
    ("period", "h1", True), ("period", "y25", False), ("academic_year", "y25", True),
])
def test_known_ids(kind, id_, expected):
    assert queries.known(school().con, kind, id_) is expected


def test_known_refuses_a_kind_it_does_not_know():
    with pytest.raises(ValueError, match="unknown kind 'pupil'"):
        queries.known(school().con, "pupil", "a1")


def test_school_of_defaults_to_the_only_school_and_asks_among_several():
    s = school()
    assert queries.school_of(s.con, None) == "s1"
    assert queries.school_of(s.con, "s1") == "s1"
    with pytest.raises(queries.ScopeError, match="школа «s9» не найдена"):
        queries.school_of(s.con, "s9")
    s.insert("schools", id="s2", name="Лицей", school_week_days=6)
    with pytest.raises(queries.ScopeError, match="в хранилище 2 школ"):
        queries.school_of(s.con, None)
    assert queries.school_of(s.con, "s2") == "s2"


def test_unknown_metric():
    s = school()
    with pytest.raises(queries.UnknownMetric, match="не существует"):
        queries.run(s.con, "nope", queries.Scope(period_id="p1"), NORMS)


def test_catalog_describes_every_metric_and_each_has_its_sql():
    names = [m.name for m in queries.catalog()]
    assert len(names) == len(set(names)) >= 35
    for m in queries.catalog():
        assert m.family in queries.FAMILIES and m.title and m.clause and m.description
        assert m.sql_path.exists(), m.name
    assert AS_OF.year == 2026
