"""Small warehouses built in code for the metric tests: every row is written here, so every expected
number in tests/test_metrics*.py can be computed by hand from this file.

`school()` gives a school with two classes of grade 5 (5А with an English subgroup, 5Б), a student
who moves from 5А to 5Б on 16 Oct 2025, three teachers, three subjects, work types and two semesters
(the previous one for comparisons). Tests add the lessons, marks, absences and homework they need.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import duckdb

from etl.warehouse import schema_sql

D = dt.date
T = dt.datetime
SEM = ("p1", D(2025, 9, 1), D(2025, 12, 26))  # the semester the tests look at
PREV = ("p0", D(2025, 1, 9), D(2025, 5, 30))  # the semester before it
AS_OF = D(2026, 2, 1)  # the day of the check: both semesters have ended
LOAD_TIME = T(2026, 1, 10, 12, 0)  # when the (pretend) loader first saw every row
VACATION = (D(2025, 10, 27), D(2025, 11, 4))  # the autumn vacation `school()` inserts


def school_days(weekdays: tuple[int, ...]) -> list[dt.date]:
    """The semester's days on these weekdays (0 = Monday) outside the autumn vacation: a timetable's lessons."""
    days, day = [], SEM[1]
    while day <= SEM[2]:
        if day.weekday() in weekdays and not VACATION[0] <= day <= VACATION[1]:
            days.append(day)
        day += dt.timedelta(days=1)
    return days

_BOOK = {"source_system": "zavuch", "batch_id": 1}


class School:
    """An in-memory warehouse plus helpers that insert rows with the bookkeeping columns filled."""

    def __init__(self, path: str = ":memory:") -> None:
        self.con = duckdb.connect(path)
        self.con.execute(schema_sql())
        self._ids = itertools.count(1)

    def insert(self, table: str, **values: Any) -> str:
        """Insert one row; `id` and the source bookkeeping columns default sensibly."""
        cols = {c[0] for c in self.con.execute(f"DESCRIBE {table}").fetchall()}
        row = {k: v for k, v in values.items()}
        if "id" in cols and "id" not in row:
            row["id"] = f"{table}-{next(self._ids)}"
        for k, v in {**_BOOK, "source_id": row.get("id", "x"), "first_seen_at": LOAD_TIME,
                     "last_seen_at": LOAD_TIME}.items():
            if k in cols and k not in row:
                row[k] = v
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
        return row.get("id", "")

    # ---------------------------------------------------------------- facts

    def lesson(self, group: str, subject: str, day: dt.date, number: int = 1, teacher: str = "t_math",
               *, topic: str | None = "Тема урока по плану", topic_at: dt.datetime | None = None,
               roll_at: dt.datetime | None | str = "same", status: str = "held", **extra: Any) -> str:
        """A lesson; by default held, with a topic entered and the roll taken at 15:00 on its day."""
        at_day = T(day.year, day.month, day.day, 15, 0)
        school = self.con.execute("SELECT school_id FROM groups WHERE id = ?", [group]).fetchall()[0][0]
        return self.insert(
            "lessons", school_id=school, group_id=group, subject_id=subject, lesson_date=day,
            lesson_number=number, planned_teacher_id=extra.pop("planned", teacher),
            actual_teacher_id=extra.pop("actual", teacher), status=status, topic=topic,
            topic_entered_at=topic_at or (at_day if topic else None),
            attendance_taken_at=at_day if roll_at == "same" else roll_at,
            entered_by=extra.pop("entered_by", teacher), **extra)

    def _lesson_ctx(self, lesson: str) -> tuple:
        return self.con.execute(
            "SELECT school_id, group_id, subject_id, lesson_date FROM lessons WHERE id = ?", [lesson]).fetchall()[0]

    def mark(self, lesson: str, student: str, value: str, *, work_type: str | None = "wt_answer",
             entered_at: dt.datetime | None | str = "same", weight: float | None = None,
             comment: str | None = None, entered_by: str | None = None, **extra: Any) -> str:
        """A mark; the value is parsed like the loader does ('4-' → 4 with modifier '-')."""
        school, group, subject, day = self._lesson_ctx(lesson)
        num, kind, modifier = _parse(value)
        if weight is None:
            weight = self.con.execute("SELECT weight FROM work_types WHERE id = ?", [work_type]).fetchall()[0][0] \
                if work_type else 1
        teacher = self.con.execute("SELECT coalesce(actual_teacher_id, planned_teacher_id) FROM lessons WHERE id = ?",
                                   [lesson]).fetchall()[0][0]
        return self.insert(
            "marks", school_id=school, student_id=student, lesson_id=lesson, group_id=group, subject_id=subject,
            lesson_date=day, work_type_id=work_type, value_raw=value, value_num=num, value_kind=kind,
            value_modifier=modifier, weight=weight, comment=comment, entered_by=entered_by or teacher,
            entered_at=T(day.year, day.month, day.day, 16, 0) if entered_at == "same" else entered_at,
            entered_at_precision=extra.pop("entered_at_precision", "second"), **extra)

    def absent(self, lesson: str, student: str, code: str = "Н", comment: str | None = None) -> str:
        school, group, subject, day = self._lesson_ctx(lesson)
        status = self.con.execute("SELECT status FROM attendance_codes WHERE raw_code = ?", [code]).fetchall()[0][0]
        return self.insert(
            "attendance", school_id=school, student_id=student, lesson_id=lesson, group_id=group,
            subject_id=subject, lesson_date=day, status=status, raw_code=code, comment=comment)

    def homework(self, lesson: str, *, entered_at: dt.datetime | None | str = "same", minutes: int | None = None,
                 due: dt.date | None = None) -> str:
        school, group, subject, day = self._lesson_ctx(lesson)
        return self.insert(
            "homework", school_id=school, lesson_id=lesson, group_id=group, subject_id=subject, lesson_date=day,
            text="§ 12, упр. 3", due_date=due, duration_minutes=minutes,
            entered_at=T(day.year, day.month, day.day, 17, 0) if entered_at == "same" else entered_at)

    def period_mark(self, student: str, subject: str, group: str, value: str, period: str = "p1",
                    entered_at: dt.datetime | None = T(2025, 12, 25, 10, 0), **extra: Any) -> str:
        num, kind, _ = _parse(value)
        return self.insert(
            "final_marks", school_id="s1", student_id=student, subject_id=subject, group_id=group,
            period_id=period, kind="period", value_raw=value, value_num=num, value_kind=kind,
            entered_at=entered_at, **extra)


def _parse(value: str) -> tuple[float | None, str, str | None]:
    v = value.strip().lower()
    if v in ("н/а", "на"):
        return None, "not_attested", None
    if v == "осв":
        return None, "exempt", None
    if v in ("зач", "незач"):
        return None, "pass_fail", None
    modifier = v[-1] if v[-1] in "+-" else None
    return float(v.rstrip("+-")), "grade", modifier


def school(path: str = ":memory:") -> School:
    """The base school (see the module docstring); no lessons yet. A path makes it a warehouse file."""
    s = School(path)
    s.insert("schools", id="s1", name="Гимназия «Исток»", school_week_days=5)
    s.insert("academic_years", id="y24", school_id="s1", name="2024/2025", start_date=D(2024, 9, 1),
             end_date=D(2025, 5, 31))
    s.insert("academic_years", id="y25", school_id="s1", name="2025/2026", start_date=D(2025, 9, 1),
             end_date=D(2026, 5, 31))
    for pid, start, end in (SEM, PREV):
        s.insert("periods", id=pid, school_id="s1", academic_year_id="y25" if pid == "p1" else "y24",
                 name="1 семестр" if pid == "p1" else "2 семестр", kind="semester", number=1 if pid == "p1" else 2,
                 start_date=start, end_date=end, grade_from=2, grade_to=9)
    s.insert("periods", id="h1", school_id="s1", academic_year_id="y25", name="1 полугодие", kind="half_year",
             number=1, start_date=SEM[1], end_date=SEM[2], grade_from=10, grade_to=11)
    # Autumn vacation, and the national holiday on Tuesday 4 Nov inside it.
    s.insert("holidays", id="vac", school_id="s1", academic_year_id="y25", name="Осенние каникулы",
             kind="vacation", start_date=VACATION[0], end_date=VACATION[1])
    for pid, role, last in (("t_math", "teacher", "Иванова"), ("t_eng", "teacher", "Петров"),
                            ("t_sub", "teacher", "Сидорова"), ("dep", "staff", "Завучева"),
                            ("a1", "student", "Алексеев"), ("a2", "student", "Борисова"),
                            ("a3", "student", "Васильев"), ("a4", "student", "Григорьева"),
                            ("mover", "student", "Дмитриев"), ("b1", "student", "Егорова")):
        s.insert("people", id=pid, school_id="s1", role=role, last_name=last, first_name="Имя")
    for sid, name in (("math", "Математика"), ("eng", "Английский язык"), ("pe", "Физическая культура"),
                      ("lit", "Литература")):
        s.insert("subjects", id=sid, school_id="s1", name=name)
    s.insert("groups", id="5a", school_id="s1", academic_year_id="y25", name="5А", kind="class", grade=5,
             homeroom_teacher_id="t_math")
    s.insert("groups", id="5b", school_id="s1", academic_year_id="y25", name="5Б", kind="class", grade=5)
    s.insert("groups", id="5a_eng1", school_id="s1", academic_year_id="y25", name="5А англ. 1 гр.",
             kind="subgroup", grade=5, parent_group_id="5a", subject_id="eng")
    s.insert("groups", id="4a", school_id="s1", academic_year_id="y24", name="4А", kind="class", grade=4)
    for g, st, start, end in (("5a", "a1", SEM[1], None), ("5a", "a2", SEM[1], None), ("5a", "a3", SEM[1], None),
                              ("5a", "a4", SEM[1], None), ("5a", "mover", SEM[1], D(2025, 10, 15)),
                              ("5b", "mover", D(2025, 10, 16), None), ("5b", "b1", SEM[1], None),
                              ("5a_eng1", "a1", SEM[1], None), ("5a_eng1", "a2", SEM[1], None),
                              ("4a", "a1", PREV[1], PREV[2]), ("4a", "a2", PREV[1], PREV[2])):
        s.insert("memberships", group_id=g, student_id=st, valid_from=start, valid_to=end)
    for g, subj, teacher, hours in (("5a", "math", "t_math", 5), ("5b", "math", "t_math", 5),
                                    ("5a_eng1", "eng", "t_eng", 1), ("5a", "pe", "t_sub", 2),
                                    ("5a", "lit", "t_eng", 2), ("4a", "math", "t_math", 4)):
        s.insert("curriculum", group_id=g, subject_id=subj, teacher_id=teacher, weekly_hours=hours)
    s.insert("work_types", id="wt_answer", school_id="s1", name="Ответ на уроке", weight=1, is_control=False)
    s.insert("work_types", id="wt_test", school_id="s1", name="Контрольная работа", weight=2, is_control=True)
    s.insert("work_types", id="wt_essay", school_id="s1", name="Сочинение", weight=2, is_control=True)
    return s
