"""Teacher behaviour profiles: when each teacher enters marks, and which teachers keep the journal badly.

Entry profiles (docs/planted-violations.md): `same_day` and `next_day` keep the deadlines;
`weekly_batch` enters a week's marks on Sunday evening; `end_of_period_spree` enters everything in the
last days of the period. Bad habits are concentrated in a handful of teachers, as in real schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from etl.demo.curriculum import SUBJECTS_BY_KEY
from etl.demo.staffing import Staffing

SAME_DAY, NEXT_DAY, WEEKLY_BATCH, SPREE = "same_day", "next_day", "weekly_batch", "end_of_period_spree"


@dataclass
class Profiles:
    entry: list[str]
    # bad habits → teacher idx
    habits: dict[str, list[int]] = field(default_factory=dict)
    compromised: int = -1
    sick_teacher: int = -1  # off sick for a week: recorded substitutions


HABITS = (
    "topic_skip", "topic_late", "homework_skip", "homework_late", "roll_skip", "period_mismatch",
    "too_few_marks", "period_mark_missing", "two_after_absence", "mark_on_absence", "control_incomplete",
    "mark_late",
)


def assign_profiles(rng: np.random.Generator, staffing: Staffing, homework_exempt: tuple[str, ...]) -> Profiles:
    n = len(staffing.teachers)
    marks_teachers = sorted({c.teacher for c in staffing.courses if c.grade >= 2})
    homework_teachers = sorted({c.teacher for c in staffing.courses
                                if c.grade >= 2 and SUBJECTS_BY_KEY[c.subject_key].name not in homework_exempt})
    control_teachers = sorted({c.teacher for c in staffing.courses
                               if c.grade >= 2 and SUBJECTS_BY_KEY[c.subject_key].control})
    pick = lambda pool, k, avoid=(): [int(x) for x in rng.choice(  # noqa: E731
        [t for t in pool if t not in avoid], size=k, replace=False)]

    bad = pick(control_teachers, 6)
    entry = [SAME_DAY if rng.random() < 0.7 else NEXT_DAY for _ in range(n)]
    entry[bad[0]] = WEEKLY_BATCH
    entry[bad[1]] = SPREE
    for t in pick(marks_teachers, 1, set(bad)):
        entry[t] = WEEKLY_BATCH
    p = Profiles(entry)
    hw_bad = [t for t in bad if t in homework_teachers] or pick(homework_teachers, 2)
    p.habits = {
        "topic_skip": [bad[2], bad[4]],
        "topic_late": [bad[3]],
        "homework_skip": hw_bad[:2],
        "homework_late": hw_bad[-1:],
        "roll_skip": [bad[5], bad[0]],
        "period_mismatch": [bad[3], bad[2]],
        "too_few_marks": [bad[4]],
        "period_mark_missing": [bad[5]],
        "two_after_absence": [bad[1], bad[2], bad[5]],
        "mark_on_absence": [bad[3], bad[4]],
        "control_incomplete": [bad[0], bad[5]],
        "mark_late": [bad[2], bad[3]],
    }
    good = [t for t in marks_teachers if t not in bad and entry[t] == SAME_DAY]
    p.compromised = int(rng.choice(good))
    p.sick_teacher = int(rng.choice([t for t in good if t != p.compromised]))
    return p
