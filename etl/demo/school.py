"""One demo school from start to finish: structure, lessons, attendance, marks, planted violations, and
the bundle tables plus its ground truth. Everything is drawn from one seeded generator, in a fixed order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from etl.demo import attendance, calendar, homework, lessons as lessons_mod, marks as marks_mod
from etl.demo import timestamps, violations
from etl.demo.contract import Norms
from etl.demo.curriculum import STAFF_POSITIONS, SUBJECTS, SUBJECTS_BY_KEY, WORK_TYPES
from etl.demo.names import random_people, school_names
from etl.demo.profiles import SAME_DAY, assign_profiles
from etl.demo.roster import build_roster
from etl.demo.staffing import build_staffing, position
from etl.demo.timetable import build_timetable

# The compromised account's teacher reports the leak the morning after the year's last entries (period and
# year marks included), so all of the account's own work precedes the report and only the outsider's marks
# entered that evening are invalid (regulation 4.4; violations.plant_compromise).
COMPROMISE_REPORTED = datetime(2026, 5, 30, 9, 15)
S = pl.String


def build_school(seed: int, number: int, norms: Norms) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """(bundle tables, ground truth) of school `number` (1-based)."""
    rng = np.random.default_rng([seed, number])
    sid = f"s{number:03d}"
    p = sid + "-"
    roster = build_roster(rng, 1.0 if number == 1 else float(rng.uniform(0.8, 1.3)))
    staffing = build_staffing(rng, roster)
    timetable = build_timetable(rng, roster, staffing)
    days = calendar.school_days()
    quarantine = lessons_mod.choose_quarantine(rng, roster)
    courses = lessons_mod.courses_frame(staffing)
    lessons, plan = lessons_mod.build_lessons(timetable, courses, days, quarantine)
    profiles = assign_profiles(rng, staffing, norms.homework_exempt_subjects)
    exempt_keys = [k for k, s in SUBJECTS_BY_KEY.items() if s.name in norms.homework_exempt_subjects]

    # ---- attendance
    traits = attendance.choose_traits(rng, roster)
    sl = attendance.student_lessons(lessons, attendance.memberships_frame(roster))
    sl = attendance.mark_absences(rng, sl, traits)

    # ---- lesson-level habits and substitutions
    lessons = violations.plant_lesson_habits(rng, lessons, profiles, norms)
    grade1 = {c.teacher for c in staffing.courses if c.grade == 1}
    lessons = violations.plant_substitutions(rng, lessons, profiles, [t.specialty for t in staffing.teachers], grade1)
    lessons = lessons.with_columns(
        pl.when(pl.col("topic_missing"))
        .then(pl.Series(np.array(violations.JUNK_TOPICS)[rng.integers(0, len(violations.JUNK_TOPICS),
                                                                       lessons.height)]))
        .otherwise(pl.col("topic")).alias("topic")
    ).with_columns(pl.when(pl.col("topic") == "").then(None).otherwise(pl.col("topic")).alias("topic"))
    lessons = timestamps.lesson_times(rng, lessons)

    # ---- marks
    few_course = _too_few_course(rng, staffing, profiles)
    ex = marks_mod.Exclusions(traits.exempt_pe, traits.not_attested, [(few_course, 2)])
    flags = marks_mod.with_flags(sl, courses, ex)
    chosen = pl.concat([marks_mod.choose_marked(rng, flags), marks_mod.sparse_marks(rng, flags)])
    m = marks_mod.assign_values(rng, chosen, flags, len(roster.students))
    m, incomplete = violations.plant_mark_habits(rng, m, flags, lessons, profiles)
    m = marks_mod.keep_clear_of_thresholds(rng, m, norms.thresholds)
    m = marks_mod.add_modifiers(rng, m.sort(["student", "lesson"]))
    m = _mark_entry(rng, m, lessons, profiles, days)

    # ---- final marks
    finals, gt_final = _final_marks(rng, m, flags, courses, profiles, traits, norms, days)
    # the outsider's marks under the compromised account: drawn apart, so nothing else changes
    attack = violations.plant_compromise(np.random.default_rng([seed, number, 44]), m, flags, lessons,
                                         profiles.compromised, COMPROMISE_REPORTED)

    # ---- homework and attendance rows
    hw = homework.build_homework(rng, lessons, exempt_keys)
    hw = hw.with_columns(timestamps.homework_times(rng, hw))
    unmarked = lessons.filter(pl.col("attendance_unmarked"))["lesson"]
    att = sl.filter(pl.col("code").is_not_null() & ~pl.col("lesson").is_in(unmarked.implode())).join(
        lessons.select("lesson", "entered_by", "attendance_taken_at"), on="lesson").sort(["lesson", "student"])

    ids = _Ids(p)
    tables = _tables(rng, sid, number, roster, staffing, profiles, quarantine, lessons, plan, pl.concat([m, attack]),
                     finals, hw, att, ids, courses)
    cases = violations.profile_cases(m, norms)
    cases["entry_after_compromise"] = attack
    gt = _ground_truth(sid, ids, lessons, m, flags, incomplete, cases, gt_final, quarantine, norms, exempt_keys)
    return tables, gt


class _Ids:
    def __init__(self, p: str) -> None:
        self.p = p

    def person(self, kind: str, col: str | pl.Expr) -> pl.Expr:
        c = pl.col(col) if isinstance(col, str) else col
        width = 4 if kind == "st" else 3
        return pl.lit(self.p + kind) + c.cast(S).str.zfill(width)

    def teacher(self, col: str) -> pl.Expr:
        return self.person("t", col)

    def student(self, col: str) -> pl.Expr:
        return self.person("st", col)

    def group(self, col: str) -> pl.Expr:
        return pl.lit(self.p + "g") + pl.col(col).cast(S).str.zfill(3)

    def lesson(self, col: str) -> pl.Expr:
        return pl.lit(self.p + "l") + pl.col(col).cast(S).str.zfill(6)

    def subject(self, col: str) -> pl.Expr:
        return pl.lit(self.p + "subj-") + pl.col(col)

    def period(self, grade: str, period_no: str) -> pl.Expr:
        return pl.lit(self.p + "per-") + pl.when(pl.col(grade) <= 9).then(pl.lit("s")).otherwise(pl.lit("h")) \
            + pl.col(period_no).cast(S)

    def mark(self, col: str) -> pl.Expr:
        return pl.lit(self.p + "m") + pl.col(col).cast(S).str.zfill(7)


def _too_few_course(rng: np.random.Generator, staffing, profiles) -> int:
    t = profiles.habits["too_few_marks"][0]
    pool = [c.idx for c in staffing.courses if c.teacher == t and c.grade >= 2 and c.hours >= 2
            and c.subject_key != "pe"] or [c.idx for c in staffing.courses if c.teacher == t and c.grade >= 2]
    return int(pool[int(rng.integers(0, len(pool)))])


def _mark_entry(rng, m: pl.DataFrame, lessons: pl.DataFrame, profiles, days: pl.DataFrame) -> pl.DataFrame:
    """entered_by / entered_at by profile; plus a few planted late marks and two entered before the lesson."""
    control = [w.name for w in WORK_TYPES if w.is_control]
    m = m.join(lessons.select("lesson", "lesson_number", "weekday", "entered_by", "actual_teacher"), on="lesson",
               maintain_order="left")
    m = m.with_columns(
        pl.col("work_type").is_in(control).alias("is_control"),
        pl.when(pl.col("entered_by") == pl.col("teacher"))
        .then(pl.col("teacher").replace_strict(dict(enumerate(profiles.entry)), return_dtype=S))
        .otherwise(pl.lit(SAME_DAY)).alias("profile"),
    )
    spree_days = {n: calendar.last_school_days(days, n, 3) for n in (1, 2)}
    m = m.with_columns(timestamps.mark_times(rng, m, spree_days))
    # planted: ordinary marks entered 2–5 days late by teachers who otherwise keep the deadline
    late_pool = (pl.col("teacher").is_in(profiles.habits["mark_late"]) & ~pl.col("is_control")
                 & pl.col("profile").is_in([SAME_DAY, "next_day"]) & ~pl.col("locked"))
    r = rng.random(m.height)
    m = m.with_columns(pl.Series("_r", r)).with_columns(
        (late_pool & (pl.col("_r") < 0.02)).alias("_late"),
        pl.Series("_days", rng.integers(2, 6, m.height)),
    )
    m = m.with_columns(
        pl.when(pl.col("_late"))
        .then(timestamps.at(pl.col("date") + pl.duration(days=pl.col("_days")), pl.lit(20 * 60 + 10),
                            pl.col("_days") * 7))
        .otherwise(pl.col("entered_at")).alias("entered_at")
    )
    # planted: two marks entered the evening before their lesson
    before_pool = m.with_row_index("_i").filter(
        (pl.col("profile") == SAME_DAY) & ~pl.col("is_control") & ~pl.col("_late") & ~pl.col("locked")
        & (pl.col("entered_by") != profiles.compromised) & (pl.col("grade") >= 2))["_i"].to_numpy()
    before = set(rng.choice(before_pool, size=2, replace=False).tolist())
    m = m.with_row_index("_i").with_columns(
        pl.when(pl.col("_i").is_in(list(before)))
        .then(timestamps.at(pl.col("date") - pl.duration(days=1), pl.lit(21 * 60 + 5), pl.lit(12)))
        .otherwise(pl.col("entered_at")).alias("entered_at")
    ).drop("_i", "_r", "_late", "_days")
    return m.sort(["date", "lesson", "student"]).with_row_index("mark").with_columns(pl.col("mark").cast(pl.Int32))


def _final_marks(rng, m, flags, courses, profiles, traits, norms: Norms, days):
    """Period marks (rounded weighted average; planted mismatches and missing ones), «н/а», «осв»,
    and year marks."""
    keys = flags.filter(pl.col("grade") >= 2).select(
        "student", "course", "period_no", "grade", "subject_key", "teacher", "ex_pe", "ex_na", "few", "group"
    ).unique(["student", "course", "period_no"]).sort(["student", "course", "period_no"])
    avg = marks_mod.weighted_averages(m.filter(pl.col("value").is_not_null()))
    pm = keys.join(avg, on=marks_mod.KEY, how="left", maintain_order="left").with_columns(
        marks_mod.round_average(pl.col("avg"), norms.thresholds).alias("rounded"))
    # planted mismatches: teachers who «pull up» (or down) a period mark
    cand = pm.filter(pl.col("teacher").is_in(profiles.habits["period_mismatch"]) & ~pl.col("ex_pe") & ~pl.col("ex_na")
                     & ~pl.col("few") & pl.col("avg").is_not_null())
    pick = cand.with_columns(pl.Series("r", rng.random(cand.height))).sort("r").head(30).select(marks_mod.KEY).with_columns(
        pl.lit(True).alias("mismatch"))
    pm = pm.join(pick, on=marks_mod.KEY, how="left", maintain_order="left").with_columns(
        pl.col("mismatch").fill_null(False))
    pm = pm.with_columns(
        pl.when(pl.col("mismatch")).then(pl.when(pl.col("rounded") < 5).then(pl.col("rounded") + 1)
                                         .otherwise(pl.col("rounded") - 1))
        .otherwise(pl.col("rounded")).cast(pl.Int8).alias("grade_mark")
    )
    pm = pm.with_columns(
        pl.when(pl.col("ex_pe")).then(pl.lit("осв")).when(pl.col("ex_na")).then(pl.lit("н/а"))
        .otherwise(pl.col("grade_mark").cast(S)).alias("value")
    )
    # planted missing: one course of a forgetful teacher, period 1, about half the students
    t = profiles.habits["period_mark_missing"][0]
    miss_course = pm.filter((pl.col("teacher") == t) & (pl.col("period_no") == 1))["course"].unique().sort()
    mc = int(miss_course[int(rng.integers(0, miss_course.len()))])
    sub = pm.filter((pl.col("course") == mc) & (pl.col("period_no") == 1))
    missing = sub.filter(pl.Series(rng.random(sub.height) < 0.5)).select(marks_mod.KEY).with_columns(
        pl.lit(True).alias("missing"))
    pm = pm.join(missing, on=marks_mod.KEY, how="left", maintain_order="left").with_columns(
        pl.col("missing").fill_null(False))
    last = {n: calendar.last_school_days(days, n, 5) for n in (1, 2)}
    written = pm.filter(~pl.col("missing"))
    parts = []
    for n in (1, 2):
        part = written.filter(pl.col("period_no") == n)
        parts.append(part.with_columns(timestamps.final_mark_times(rng, part.height, last[n]), pl.lit("period").alias("kind")))
    # year marks: the period-2 group; weighted average of the whole year
    year_avg = m.group_by("student", "subject_key").agg(
        ((pl.col("value").cast(pl.Float64) * pl.col("weight")).sum() / pl.col("weight").cast(pl.Float64).sum()).alias("yavg"))
    year = keys.filter(pl.col("period_no") == 2).join(year_avg, on=["student", "subject_key"], how="left",
                                                       maintain_order="left")
    year = year.with_columns(
        pl.when(pl.col("ex_pe")).then(pl.lit("осв"))
        .when(pl.col("student").is_in(traits.not_attested)).then(pl.lit("н/а"))
        .otherwise(marks_mod.round_average(pl.col("yavg"), norms.thresholds).cast(S)).alias("value"),
        pl.lit("year").alias("kind"), pl.lit(None, pl.Int8).alias("period_no"),
    )
    year = year.with_columns(timestamps.final_mark_times(rng, year.height, last[2][-3:]))
    cols = ["student", "course", "group", "subject_key", "teacher", "grade", "period_no", "kind", "value", "entered_at"]
    finals = pl.concat([parts[0].select(cols), parts[1].select(cols), year.select(cols)])
    return finals, pm


def _tables(rng, sid, number, roster, staffing, profiles, quarantine, lessons, plan, m, finals, hw, att, ids: _Ids,
            courses) -> dict[str, pl.DataFrame]:
    p = sid + "-"
    year_id = p + "y2025"
    short, full, region = school_names(rng, number * 7 % 97 + 1)
    schools = pl.DataFrame({"id": [sid], "name": [short], "full_name": [full], "region": [region],
                            "timezone": ["Europe/Moscow"], "school_week_days": ["5"]})
    years = pl.DataFrame({"id": [year_id], "school_id": [sid], "name": [calendar.YEAR_NAME],
                          "start_date": [calendar.YEAR_START], "end_date": [calendar.YEAR_END]})
    periods = pl.DataFrame([
        {"id": p + "per-" + x.key, "school_id": sid, "academic_year_id": year_id, "name": x.name, "kind": x.kind,
         "number": x.number, "start_date": x.start, "end_date": x.end, "grade_from": x.grade_from,
         "grade_to": x.grade_to} for x in calendar.PERIODS])
    hol_rows = [
        {"id": p + "hol-" + o.key, "school_id": sid, "academic_year_id": year_id, "name": o.name, "kind": o.kind,
         "start_date": o.start, "end_date": o.end, "grade_from": o.grade_from, "grade_to": o.grade_to,
         "group_id": None} for o in calendar.DAYS_OFF]
    qg = roster.groups[quarantine.class_idx]
    hol_rows.append({"id": p + "hol-quarantine", "school_id": sid, "academic_year_id": year_id,
                     "name": f"Карантин по гриппу и ОРВИ ({qg.name})", "kind": "quarantine",
                     "start_date": quarantine.start, "end_date": quarantine.end, "grade_from": qg.grade,
                     "grade_to": qg.grade, "group_id": p + f"g{qg.idx:03d}"})
    holidays = pl.DataFrame(hol_rows, schema_overrides={"group_id": S})

    people = []
    for s in roster.students:
        people.append({"id": p + f"st{s.idx:04d}", "school_id": sid, "role": "student", "last_name": s.last_name,
                       "first_name": s.first_name, "middle_name": s.middle_name, "sex": s.sex,
                       "birth_date": s.birth_date, "position": None})
    for t in staffing.teachers:
        people.append({"id": p + f"t{t.idx:03d}", "school_id": sid, "role": "teacher", "last_name": t.last_name,
                       "first_name": t.first_name, "middle_name": t.middle_name, "sex": t.sex,
                       "birth_date": date(t.birth_year, 1, 1) + timedelta(days=int(rng.integers(0, 365))),
                       "position": position(t)})
    for i, (person, pos) in enumerate(zip(random_people(rng, len(STAFF_POSITIONS), 0.3), STAFF_POSITIONS)):
        people.append({"id": p + f"adm{i + 1}", "school_id": sid, "role": "staff", "last_name": person[0],
                       "first_name": person[1], "middle_name": person[2], "sex": person[3],
                       "birth_date": date(int(rng.integers(1965, 1990)), 1, 1) + timedelta(days=int(rng.integers(0, 365))),
                       "position": pos})
    people_df = pl.DataFrame(people, schema_overrides={"position": S})

    subjects = pl.DataFrame({"id": [p + "subj-" + s.key for s in SUBJECTS], "school_id": sid,
                             "name": [s.name for s in SUBJECTS], "short_name": [s.short for s in SUBJECTS]})
    groups = pl.DataFrame([
        {"id": p + f"g{g.idx:03d}", "school_id": sid, "academic_year_id": year_id, "name": g.name, "kind": g.kind,
         "grade": g.grade, "parent_group_id": None if g.parent is None else p + f"g{g.parent:03d}",
         "subject_id": None if g.subject_key is None else p + "subj-" + g.subject_key,
         "homeroom_teacher_id": None if g.homeroom is None else p + f"t{g.homeroom:03d}"} for g in roster.groups],
        schema_overrides={"parent_group_id": S, "subject_id": S, "homeroom_teacher_id": S})
    memberships = pl.DataFrame([
        {"id": p + f"ms{i:05d}", "group_id": p + f"g{ms.group:03d}", "student_id": p + f"st{ms.student:04d}",
         "valid_from": ms.valid_from, "valid_to": ms.valid_to} for i, ms in enumerate(roster.memberships)],
        schema_overrides={"valid_to": pl.Date})
    curriculum = courses.select(
        (pl.lit(p + "cur") + pl.col("course").cast(S).str.zfill(4)).alias("id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), ids.teacher("teacher").alias("teacher_id"),
        pl.col("hours").cast(S).alias("weekly_hours"), pl.lit(calendar.YEAR_START).alias("valid_from"),
    )
    plan = plan.join(courses.select("course", "group"), on="course", maintain_order="left").with_row_index("pl_i")
    plan_lessons = plan.select(
        (pl.lit(p + "pl") + pl.col("pl_i").cast(S).str.zfill(6)).alias("id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), "number", "planned_date", "topic", pl.lit(1).alias("hours"))
    plan_link = plan.select("course", pl.col("number").alias("seq"),
                            (pl.lit(p + "pl") + pl.col("pl_i").cast(S).str.zfill(6)).alias("plan_lesson_id"))
    work_types = pl.DataFrame({"id": [p + "wt-" + w.key for w in WORK_TYPES], "school_id": sid,
                               "name": [w.name for w in WORK_TYPES], "abbr": [w.abbr for w in WORK_TYPES],
                               "weight": [str(w.weight) for w in WORK_TYPES],
                               "is_control": [w.is_control for w in WORK_TYPES]})
    incidents = pl.DataFrame({"id": [p + "inc1"], "person_id": [p + f"t{profiles.compromised:03d}"],
                              "reported_at": [COMPROMISE_REPORTED],
                              "description": ["Учитель сообщил, что его пароль от ЭЖ стал известен посторонним"]})
    les = lessons.join(plan_link, on=["course", "seq"], how="left", maintain_order="left")
    lessons_df = les.select(
        ids.lesson("lesson").alias("id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), pl.col("date").alias("lesson_date"), "lesson_number",
        ids.teacher("teacher").alias("planned_teacher_id"),
        pl.when(pl.col("status") == "held").then(ids.teacher("actual_teacher")).alias("actual_teacher_id"),
        "is_substitution", "status", "topic", "topic_entered_at", "plan_lesson_id", "attendance_taken_at",
        pl.when(pl.col("status") == "held").then(ids.teacher("entered_by")).alias("entered_by"),
    )
    wt_id = {w.name: p + "wt-" + w.key for w in WORK_TYPES}
    marks_df = m.select(
        ids.mark("mark").alias("id"), ids.student("student").alias("student_id"), ids.lesson("lesson").alias("lesson_id"),
        pl.col("work_type").replace_strict(wt_id, return_dtype=S).alias("work_type_id"),
        pl.col("value_raw").alias("value"), pl.col("weight").cast(S), pl.lit(True).alias("counts_in_average"),
        "comment", ids.teacher("entered_by").alias("entered_by"), "entered_at",
        pl.lit("demo:entered_at").alias("entered_at_source"),
    )
    finals = finals.sort(["kind", "period_no", "student", "course"], nulls_last=True).with_row_index("fi")
    finals_df = finals.select(
        (pl.lit(p + "fm") + pl.col("fi").cast(S).str.zfill(6)).alias("id"), ids.student("student").alias("student_id"),
        ids.subject("subject_key").alias("subject_id"), ids.group("group").alias("group_id"),
        pl.when(pl.col("kind") == "period").then(ids.period("grade", "period_no")).alias("period_id"),
        "kind", "value", ids.teacher("teacher").alias("entered_by"), "entered_at",
    )
    att_df = att.with_row_index("ai").select(
        (pl.lit(p + "att") + pl.col("ai").cast(S).str.zfill(6)).alias("id"), ids.student("student").alias("student_id"),
        ids.lesson("lesson").alias("lesson_id"), "code", "comment", ids.teacher("entered_by").alias("recorded_by"),
        pl.col("attendance_taken_at").alias("recorded_at"),
    )
    hw_df = hw.with_row_index("hi").select(
        (pl.lit(p + "hw") + pl.col("hi").cast(S).str.zfill(6)).alias("id"), ids.lesson("lesson").alias("lesson_id"),
        "text", "due_date", "duration_minutes", ids.teacher("entered_by").alias("entered_by"), "entered_at",
    )
    return {
        "schools": schools, "academic_years": years, "periods": periods, "people": people_df, "subjects": subjects,
        "groups": groups, "holidays": holidays, "memberships": memberships, "curriculum": curriculum,
        "plan_lessons": plan_lessons, "work_types": work_types, "account_incidents": incidents,
        "lessons": lessons_df, "marks": marks_df, "final_marks": finals_df, "attendance": att_df, "homework": hw_df,
    }


def _ground_truth(sid, ids: _Ids, lessons, m, flags, incomplete, cases, pm, quarantine, norms, exempt_keys):
    base = (pl.col("status") == "held") & (pl.col("grade") >= norms.min_grade)
    les = lessons.filter(base)
    lesson_cols = [
        ids.teacher("actual_teacher").alias("teacher_id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), ids.lesson("lesson").alias("lesson_id"),
        pl.col("date").cast(S).alias("event_date"),
    ]
    out = []

    def add(kind: str, df: pl.DataFrame, cols: list[pl.Expr]) -> None:
        out.append(df.select(pl.lit(kind).alias("kind"), pl.lit(sid).alias("school_id"), *cols))

    hw_lessons = les.filter(~pl.col("subject_key").is_in(exempt_keys))
    add("topic_missing", les.filter(pl.col("topic_missing")), lesson_cols)
    add("topic_late", les.filter(pl.col("topic_late")), lesson_cols)
    add("homework_missing", hw_lessons.filter(pl.col("homework_missing")), lesson_cols)
    add("homework_late", hw_lessons.filter(pl.col("homework_late")), lesson_cols)
    add("attendance_unmarked", les.filter(pl.col("attendance_unmarked")), lesson_cols)
    add("substitution_unrecorded", les.filter(pl.col("substitution_unrecorded")), lesson_cols)
    add("control_work_incomplete", les.join(incomplete, on="lesson", how="semi"), lesson_cols)

    mark_cols = [
        ids.teacher("actual_teacher").alias("teacher_id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), ids.lesson("lesson").alias("lesson_id"),
        ids.student("student").alias("student_id"), ids.mark("mark").alias("mark_id"),
        pl.col("date").cast(S).alias("event_date"),
    ]
    mg = m.join(lessons.select("lesson", "group"), on="lesson", maintain_order="left")
    two = mg.filter(pl.col("locked") & pl.col("prev_absent") & (pl.col("value") == 2))
    add("two_after_absence", two, mark_cols)
    on_absence = mg.join(flags.filter(pl.col("absent")).select("student", "lesson"), on=["student", "lesson"],
                         how="semi").filter(pl.col("comment").is_null())
    add("mark_on_absence_no_comment", on_absence, mark_cols)
    for kind in ("mark_late", "mark_entered_before_lesson"):
        add(kind, cases[kind].join(lessons.select("lesson", "group"), on="lesson", maintain_order="left"), mark_cols)
    eac = cases["entry_after_compromise"].join(lessons.select("lesson", "group"), on="lesson", maintain_order="left")
    add("entry_after_compromise", eac, [ids.teacher("entered_by").alias("teacher_id")] + mark_cols[1:])
    add("mark_spree", cases["mark_spree"], [ids.teacher("entered_by").alias("teacher_id"),
                                            pl.col("day").cast(S).alias("event_date"),
                                            pl.col("n").cast(S).alias("detail")])
    sp_cols = [
        ids.teacher("teacher").alias("teacher_id"), ids.group("group").alias("group_id"),
        ids.subject("subject_key").alias("subject_id"), ids.student("student").alias("student_id"),
        ids.period("grade", "period_no").alias("period_id"),
    ]
    mism = pm.filter(pl.col("mismatch") & ~pl.col("missing"))
    add("period_mark_mismatch", mism, sp_cols + [
        (pl.col("avg").round(2).map_elements(lambda x: f"{x:.2f}", return_dtype=S) + pl.lit("→")
         + pl.col("grade_mark").cast(S)).alias("detail")])
    counts = m.group_by(marks_mod.KEY).len("n")
    few = pm.join(counts, on=marks_mod.KEY, how="left", maintain_order="left").with_columns(pl.col("n").fill_null(0))
    add("too_few_marks", few.filter(pl.col("few") | pl.col("ex_na")),  # «осв» students expect no marks
        sp_cols + [pl.col("n").cast(S).alias("detail")])
    add("period_mark_missing", pm.filter(pl.col("missing")), sp_cols)
    q = pl.DataFrame({"group_id": [ids.p + f"g{quarantine.class_idx:03d}"], "event_date": [str(quarantine.start)]})
    add("quarantine", q, [pl.col("group_id"), pl.col("event_date"), pl.lit("карантин").alias("detail")])
    gt = pl.concat([o.with_columns(pl.all().cast(S)) for o in out], how="diagonal")
    gt = gt.with_columns([pl.lit(None, S).alias(c) for c in violations.GT_COLUMNS if c not in gt.columns])
    return gt.select(violations.GT_COLUMNS).sort(violations.GT_COLUMNS, nulls_last=True)
