"""The weekly timetable of every class (5-day week, lessons 1–7) and its expansion into the year's
lessons. Greedy placement: a subject's hours spread over different days, the class day filled without
gaps when the teacher is free, the subgroups of a split subject side by side in the same slot.
"""

from __future__ import annotations

from datetime import time

import numpy as np
import polars as pl

from etl.demo.curriculum import SUBJECTS_BY_KEY
from etl.demo.roster import Roster
from etl.demo.staffing import Staffing

# Bell schedule: start of lessons 1..7 (minutes after midnight) and their length.
LESSON_STARTS = (8 * 60 + 30, 9 * 60 + 25, 10 * 60 + 20, 11 * 60 + 25, 12 * 60 + 25, 13 * 60 + 25, 14 * 60 + 20)
LESSON_MINUTES = 45


def max_lessons(grade: int) -> int:
    """СанПиН-like daily limits: 4–5 lessons in grades 1–4, 6 in 5–6, 7 from grade 7."""
    return 5 if grade <= 4 else (6 if grade <= 6 else 7)


def lesson_start(number: int) -> time:
    m = LESSON_STARTS[number - 1]
    return time(m // 60, m % 60)


def build_timetable(rng: np.random.Generator, roster: Roster, staffing: Staffing) -> pl.DataFrame:
    """(course, weekday, lesson_number) for every weekly lesson of every course."""
    courses_of: dict[int, list] = {}
    for c in staffing.courses:
        courses_of.setdefault(c.class_idx, []).append(c)
    teacher_busy: set[tuple[int, int, int]] = set()
    rows: list[tuple[int, int, int]] = []
    for cls in (g for g in roster.groups if g.kind == "class"):
        limit = max_lessons(cls.grade)
        load = [0] * 5
        busy = [[False] * 8 for _ in range(5)]
        # blocks: subject key → courses that meet together (two subgroups, or one class course)
        blocks: dict[str, list] = {}
        for c in courses_of.get(cls.idx, []):
            blocks.setdefault(c.subject_key, []).append(c)
        order = sorted(blocks, key=lambda k: (-blocks[k][0].hours, k))
        for key in order:
            group = blocks[key]
            hours = group[0].hours
            subj = SUBJECTS_BY_KEY[key]
            teachers = {c.teacher for c in group}
            length = 2 if subj.double and hours == 2 else 1
            per_day = [0] * 5
            for _ in range(hours // length):
                placed = _place(rng, length, limit, load, busy, per_day, teachers, teacher_busy)
                if placed is None:
                    raise RuntimeError(f"timetable: no room for {key} in class {cls.name}")
                day, first = placed
                for n in range(first, first + length):
                    busy[day][n] = True
                    for t in teachers:
                        teacher_busy.add((t, day, n))
                    for c in group:
                        rows.append((c.idx, day, n))
                load[day] = max(load[day], first + length - 1)
                per_day[day] += 1
    return pl.DataFrame(rows, schema={"course": pl.Int32, "weekday": pl.Int8, "lesson_number": pl.Int8},
                        orient="row")


def _place(rng, length, limit, load, busy, per_day, teachers, teacher_busy):
    jitter = rng.random(5)
    days = sorted(range(5), key=lambda d: (per_day[d], load[d], jitter[d]))

    def ok(day: int, first: int) -> bool:
        if first + length - 1 > limit:
            return False
        return all(not busy[day][n] and all((t, day, n) not in teacher_busy for t in teachers)
                   for n in range(first, first + length))

    # 1) next slot of the day (no gap), on a day without this subject if possible
    for d in days:
        if ok(d, load[d] + 1):
            return d, load[d] + 1
    # 2) any free slot (a gap, or before the first lesson)
    for d in days:
        for first in range(1, limit + 1):
            if ok(d, first):
                return d, first
    # 3) the teacher is double-booked: take the class's next free slot anyway
    for d in days:
        for first in range(1, limit + 1):
            if all(not busy[d][n] for n in range(first, min(first + length, limit + 1))) and first + length - 1 <= limit:
                return d, first
    return None
