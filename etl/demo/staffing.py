"""Teachers and their teaching load: who teaches which class or subgroup which subject.

Load is balanced per specialty (longest unit first to the least loaded teacher); the two subgroups of
a class meet at the same time, so they always get different teachers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from etl.demo.curriculum import (
    PRIMARY_TAUGHT_BY_CLASS_TEACHER,
    SPECIALTY_POSITION,
    is_split,
    subjects_of_grade,
)
from etl.demo.names import random_people
from etl.demo.roster import Roster

# Specialties whose teachers are mostly men in Russian schools (the rest mostly women).
MOSTLY_MALE = frozenset({"pe", "obzr", "inf", "phys"})


@dataclass
class Teacher:
    idx: int
    last_name: str
    first_name: str
    middle_name: str
    sex: str
    birth_year: int
    specialty: str
    load: float = 0.0


@dataclass
class Course:
    """One group × subject as taught by one teacher."""

    idx: int
    group: int
    subject_key: str
    teacher: int
    hours: int
    grade: int
    class_idx: int  # the class (a subgroup's parent)


@dataclass
class Staffing:
    teachers: list[Teacher] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)


def _units(roster: Roster) -> list[tuple[str, int, int, list[tuple[int, str, int]]]]:
    """(specialty, group, hours, [(group, subject, hours)]) teaching units; primary subjects of a
    class go to its class teacher as one unit."""
    units = []
    for cls in roster.groups:
        if cls.kind != "class":
            continue
        by_spec: dict[tuple[str, int], list[tuple[int, str, int]]] = {}
        for s in subjects_of_grade(cls.grade):
            h = s.hours[cls.grade - 1]
            spec = "primary" if cls.grade <= 4 and s.key in PRIMARY_TAUGHT_BY_CLASS_TEACHER else s.specialty
            if is_split(s, cls.grade):
                for no in (1, 2):
                    g = roster.subgroup_of[(cls.idx, s.key, no)]
                    by_spec.setdefault((spec, g), []).append((g, s.key, h))
            else:
                by_spec.setdefault((spec, cls.idx), []).append((cls.idx, s.key, h))
        for (spec, g), parts in by_spec.items():
            units.append((spec, g, sum(p[2] for p in parts), parts))
    return units


def build_staffing(rng: np.random.Generator, roster: Roster) -> Staffing:
    st = Staffing()
    units = _units(roster)
    target = float(rng.uniform(16.0, 19.0))
    specs = sorted({u[0] for u in units})
    for spec in specs:
        spec_units = [u for u in units if u[0] == spec]
        total = sum(u[2] for u in spec_units)
        if spec == "primary":
            n = len({roster.groups[u[1]].idx for u in spec_units})
        else:
            split = any(roster.groups[u[1]].kind == "subgroup" for u in spec_units)
            n = max(2 if split else 1, int(np.ceil(total / target)))
        male_share = 0.7 if spec in MOSTLY_MALE else (0.03 if spec == "primary" else 0.15)
        people = random_people(rng, n, male_share)
        first = len(st.teachers)
        for last, fname, middle, sex in people:
            st.teachers.append(Teacher(len(st.teachers), last, fname, middle, sex,
                                       int(rng.integers(1962, 2001)), spec))
        pool = list(range(first, first + n))
        if spec == "primary":
            # one class teacher per primary class
            for t, u in zip(pool, sorted(spec_units, key=lambda u: u[1])):
                _assign(st, roster, t, u)
            continue
        order = sorted(spec_units, key=lambda u: (-u[2], u[1]))
        for u in order:
            g = roster.groups[u[1]]
            # the other subgroup of the same class and subject must have another teacher
            busy = set()
            if g.kind == "subgroup":
                twin = roster.subgroup_of[(g.parent, g.subject_key, 3 - g.number)]
                busy = {c.teacher for c in st.courses if c.group == twin}
            free = [t for t in pool if t not in busy] or pool
            t = min(free, key=lambda t: (st.teachers[t].load, t))
            _assign(st, roster, t, u)
    _homerooms(roster, st)
    return st


def _assign(st: Staffing, roster: Roster, teacher: int, unit: tuple) -> None:
    for g, subj, h in unit[3]:
        grp = roster.groups[g]
        st.courses.append(Course(len(st.courses), g, subj, teacher, h, grp.grade,
                                 grp.parent if grp.parent is not None else g))
        st.teachers[teacher].load += h


def _homerooms(roster: Roster, st: Staffing) -> None:
    """Primary classes: their class teacher; others: a teacher with many hours in the class."""
    taken: set[int] = set()
    for cls in roster.groups:
        if cls.kind != "class":
            continue
        hours: dict[int, int] = {}
        for c in st.courses:
            if c.class_idx == cls.idx:
                hours[c.teacher] = hours.get(c.teacher, 0) + c.hours
        ranked = sorted(hours, key=lambda t: (-hours[t], t))
        choice = next((t for t in ranked if t not in taken), ranked[0])
        cls.homeroom = choice
        taken.add(choice)


def position(t: Teacher) -> str:
    return SPECIALTY_POSITION[t.specialty]
