"""Classes, subgroups, students and their memberships (with a few mid-year class changes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from etl.demo import calendar
from etl.demo.curriculum import SUBJECTS, is_split, subjects_of_grade
from etl.demo.names import random_people

LETTERS = "АБВГ"


@dataclass
class Group:
    idx: int
    name: str
    kind: str  # class | subgroup
    grade: int
    parent: int | None = None  # class idx of a subgroup
    subject_key: str | None = None
    number: int = 0  # subgroup number 1 / 2
    homeroom: int | None = None  # teacher idx


@dataclass
class Student:
    idx: int
    last_name: str
    first_name: str
    middle_name: str
    sex: str
    birth_date: date
    classes: tuple[int, int]  # class idx in period 1 and period 2 (differs for movers)
    subgroup_no: int  # 1 or 2: the half of the class for every split subject


@dataclass
class Membership:
    group: int
    student: int
    valid_from: date
    valid_to: date | None


@dataclass
class Roster:
    groups: list[Group] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    # (class idx, subject key, subgroup number) → subgroup idx
    subgroup_of: dict[tuple[int, str, int], int] = field(default_factory=dict)


def build_roster(rng: np.random.Generator, size_factor: float) -> Roster:
    """2–3 classes per grade of 22–31 students; subgroups for the split subjects; a few movers."""
    r = Roster()
    p_three = min(0.95, 0.65 * size_factor)
    for grade in range(1, 12):
        n_classes = 3 if rng.random() < p_three else 2
        for c in range(n_classes):
            cls = Group(len(r.groups), f"{grade}{LETTERS[c]}", "class", grade)
            r.groups.append(cls)
            for s in subjects_of_grade(grade):
                if is_split(s, grade):
                    for no in (1, 2):
                        sub = Group(len(r.groups), f"{cls.name} {s.short} {no} гр.", "subgroup", grade,
                                    cls.idx, s.key, no)
                        r.groups.append(sub)
                        r.subgroup_of[(cls.idx, s.key, no)] = sub.idx
            size = int(rng.integers(22, 32))
            people = random_people(rng, size)
            people.sort(key=lambda p: (p[0], p[1], p[2]))
            birth_year = 2025 - grade - 6
            for k, (last, first, middle, sex) in enumerate(people):
                born = date(birth_year, 9, 1) + timedelta(days=int(rng.integers(0, 365)))
                r.students.append(Student(len(r.students), last, first, middle, sex, born,
                                          (cls.idx, cls.idx), 1 if k < (size + 1) // 2 else 2))
    _plan_moves(rng, r)
    _memberships(r)
    return r


def _plan_moves(rng: np.random.Generator, r: Roster) -> None:
    """A few students of grades 2–11 change to a parallel class over the winter vacation."""
    by_grade: dict[int, list[int]] = {}
    for g in r.groups:
        if g.kind == "class" and g.grade >= 2:
            by_grade.setdefault(g.grade, []).append(g.idx)
    grades = sorted(by_grade)
    chosen = rng.choice(len(grades), size=min(4, len(grades)), replace=False)
    for gi in sorted(chosen.tolist()):
        classes = by_grade[grades[gi]]
        src, dst = (int(x) for x in rng.choice(classes, size=2, replace=False))
        pupils = [s for s in r.students if s.classes[0] == src]
        s = pupils[int(rng.integers(0, len(pupils)))]
        s.classes = (src, dst)


def _memberships(r: Roster) -> None:
    move_end = calendar.MOVE_DATE - timedelta(days=1)
    for s in r.students:
        stays = s.classes[0] == s.classes[1]
        spans = [(s.classes[0], calendar.YEAR_START, None if stays else move_end)]
        if not stays:
            spans.append((s.classes[1], calendar.MOVE_DATE, None))
        for cls, start, end in spans:
            r.memberships.append(Membership(cls, s.idx, start, end))
            grade = r.groups[cls].grade
            for subj in SUBJECTS:
                if is_split(subj, grade):
                    r.memberships.append(Membership(r.subgroup_of[(cls, subj.key, s.subgroup_no)], s.idx, start, end))
