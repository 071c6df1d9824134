"""What a metric is computed over: a period or a date range, narrowed by school, level, grade, class,
subject or teacher. Resolved once against the warehouse into plain SQL parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from etl.russian import plural
from queries.access import access_of

# School levels (начальная, основная, средняя школа) as grade bands.
LEVELS: dict[str, tuple[int, int]] = {"1-4": (1, 4), "5-9": (5, 9), "10-11": (10, 11)}


class ScopeError(ValueError):
    """The scope names something that is not in the warehouse or cannot be combined."""


class SmallScope(ScopeError):
    """A pseudonymised access asked for a scope of fewer students than the small-group rule allows."""


@dataclass(frozen=True)
class Scope:
    """A request: either `period_id`, or `date_from` and `date_to`; every filter is optional.

    `as_of` is the day the check is made (default: today): only lessons dated up to it are checked and
    counted (the journal holds the timetable ahead, future lessons with nothing entered yet), a period
    that ends after it has not ended, and a control work younger than the grace period is not judged yet.
    """

    period_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school_id: str | None = None
    level: str | None = None
    grade: int | None = None
    group_id: str | None = None
    subject_id: str | None = None
    teacher_id: str | None = None
    as_of: dt.date | None = None


@dataclass(frozen=True)
class ResolvedScope:
    """A scope with its period looked up: concrete dates and grade band, ready to become SQL parameters."""

    period_id: str | None
    date_from: dt.date
    date_to: dt.date
    school_id: str | None
    grade_from: int
    grade_to: int
    group_id: str | None
    subject_id: str | None
    teacher_id: str | None
    as_of: dt.date

    @property
    def checked_to(self) -> dt.date:
        """The last lesson day the check sees: the scope's end, or the check day if that comes first."""
        return min(self.date_to, self.as_of)

    def params(self) -> dict[str, Any]:
        """The SQL parameters; `$date_to` is `checked_to`, so no query counts a lesson after the check day."""
        return {
            "period_id": self.period_id,
            "date_from": self.date_from,
            "date_to": self.checked_to,
            "school_id": self.school_id,
            "grade_from": self.grade_from,
            "grade_to": self.grade_to,
            "group_id": self.group_id,
            "subject_id": self.subject_id,
            "teacher_id": self.teacher_id,
            "as_of": self.as_of,
        }


@cache
def _sql(name: str) -> str:
    return (Path(__file__).with_name(f"{name}.sql")).read_text(encoding="utf-8")


KNOWN_KINDS = ("school", "group", "class", "subject", "person", "period", "academic_year")  # known_id.sql


def known(con: duckdb.DuckDBPyConnection, kind: str, id_: str) -> bool:
    """Whether the warehouse holds the school, group, class, subject, person, period or academic year `id_`."""
    if kind not in KNOWN_KINDS:  # a misspelt kind would otherwise read as "not in the warehouse"
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KNOWN_KINDS)}")
    return bool(con.execute(_sql("known_id"), {"kind": kind, "id": id_}).fetchall()[0][0])


_NOT_FOUND = {"school": "школа «{}» не найдена", "period": "период «{}» не найден",
              "academic_year": "учебный год «{}» не найден", "group": "класс «{}» не найден",
              "class": "класс «{}» не найден", "subject": "предмет «{}» не найден", "person": "учитель «{}» не найден"}
_OFFER = {"school": "школы", "period": "периоды", "academic_year": "учебные годы", "group": "с таким названием",
          "class": "с таким названием", "subject": "с таким названием", "person": "с такой фамилией или ФИО"}
_SUGGESTIONS = 12


def not_found(con: duckdb.DuckDBPyConnection, kind: str, text: str) -> str:
    """«класс «7А» не найден в хранилище: укажите ИД; класс с таким названием: s001-g054 (7А, 2025/2026)». People
    type the names they know where the command line wants ids (scope_suggest.sql)."""
    rows = con.execute(_sql("scope_suggest"), {"kind": kind, "text": text}).fetchall()
    message = f"{_NOT_FOUND[kind].format(text)} в хранилище"
    if not rows:
        return message
    offered = "; ".join(f"{id_} ({label})" for id_, label in rows[:_SUGGESTIONS])
    more = ", …" if len(rows) > _SUGGESTIONS else ""
    return f"{message}: укажите ИД; {_OFFER[kind]}: {offered}{more}"


def school_of(con: duckdb.DuckDBPyConnection, school_id: str | None) -> str:
    """The school a whole-school document is for: the one named, else the warehouse's only school."""
    ids = [r[0] for r in con.execute(_sql("school_ids")).fetchall()]
    if school_id is not None:
        if school_id not in ids:
            raise ScopeError(not_found(con, "school", school_id))
        return school_id
    if len(ids) != 1:
        raise ScopeError(f"в хранилище {len(ids)} школ(ы): укажите --school")
    return ids[0]


def resolve(con: duckdb.DuckDBPyConnection, scope: Scope, *, probe: bool = False) -> ResolvedScope:
    """Look the period up (dates, school, grade band) and check that every named thing exists. A `probe`
    (the forecast's look at the periods around one day) lets a class lie outside its dates: no period
    on that day is an answer there, not a mistake of the user's."""
    grade_from, grade_to = 1, 11
    school_id = scope.school_id
    if scope.period_id is not None:
        if scope.date_from is not None or scope.date_to is not None:
            raise ScopeError("укажите либо период, либо даты «с» и «по», но не то и другое")
        rows = con.execute(_sql("scope_period"), {"period_id": scope.period_id}).fetchall()
        if not rows:
            raise ScopeError(not_found(con, "period", scope.period_id))
        p_school, date_from, date_to, grade_from, grade_to = rows[0]
        if school_id is not None and not known(con, "school", school_id):
            raise ScopeError(not_found(con, "school", school_id))
        if school_id is not None and school_id != p_school:
            raise ScopeError(f"период «{scope.period_id}» относится к другой школе ({p_school})")
        school_id = p_school
    else:
        if scope.date_from is None or scope.date_to is None:
            raise ScopeError("укажите период (--period) или обе даты (--from и --to)")
        date_from, date_to = scope.date_from, scope.date_to
        if date_from > date_to:
            raise ScopeError(f"дата «с» ({date_from:%d.%m.%Y}) позже даты «по» ({date_to:%d.%m.%Y})")
    if scope.level is not None:
        if scope.level not in LEVELS:
            raise ScopeError(f"уровень «{scope.level}» не существует; допустимы: {', '.join(LEVELS)}")
        lo, hi = LEVELS[scope.level]
        grade_from, grade_to = max(grade_from, lo), min(grade_to, hi)
    if scope.grade is not None:
        if not 1 <= scope.grade <= 11:
            raise ScopeError(f"параллель {scope.grade} не существует; допустимы 1–11")
        grade_from, grade_to = max(grade_from, scope.grade), min(grade_to, scope.grade)
    if grade_from > grade_to:
        raise ScopeError("выбранные период, уровень и параллель не пересекаются: нет ни одного класса")
    if school_id is not None and not known(con, "school", school_id):
        raise ScopeError(not_found(con, "school", school_id))
    as_of = scope.as_of or dt.date.today()
    if as_of < date_from and not probe:  # nothing up to the check day: empty lists would read «no violations»
        raise ScopeError(f"дата проверки {as_of:%d.%m.%Y} раньше начала проверяемого периода "
                         f"({date_from:%d.%m.%Y}): уроков до неё нет; укажите дату проверки не раньше него")
    _check_named(con, scope, school_id, None if probe else (date_from, date_to), grade_from, grade_to)
    resolved = ResolvedScope(
        period_id=scope.period_id,
        date_from=date_from,
        date_to=date_to,
        school_id=school_id,
        grade_from=grade_from,
        grade_to=grade_to,
        group_id=scope.group_id,
        subject_id=scope.subject_id,
        teacher_id=scope.teacher_id,
        as_of=as_of,
    )
    _check_size(con, resolved)
    return resolved


def _check_size(con: duckdb.DuckDBPyConnection, resolved: ResolvedScope) -> None:
    """Refuse a pseudonymised access a scope about 1 … min_group_size − 1 students (a class of three, a
    subgroup, one teacher's elective): the per-row small-group rule keeps rows about the whole scope, and
    here every one of them (key figures, a subject's or a week's row, the справка) would describe those
    few children. A scope with no students at all is left to the «no lessons» answers."""
    access = access_of(con)
    if not access.pseudonymise or access.min_group_size <= 0:
        return
    params = {k: v for k, v in resolved.params().items() if k not in ("period_id", "as_of")}
    n = _students(con, params)
    if 0 < n < access.min_group_size:
        raise SmallScope(f"в выбранном срезе {n} {plural(n, 'ученик', 'ученика', 'учеников')} — меньше "
                         f"{access.min_group_size}: "
                         "для обезличенного просмотра такой срез не показывается, чтобы цифры нельзя было "
                         "отнести к конкретному ребёнку; выберите параллель, уровень или всю школу")
    if resolved.group_id is None:
        return
    # The parallel's figures minus this class's are the rest of the parallel's: a 5А of 28 next to a 5Б of
    # 2 gives 5Б's figures by subtraction, so 5А alone is refused too (the parallel is shown).
    grade = con.execute("SELECT grade FROM groups WHERE id = $id", {"id": resolved.group_id}).fetchall()[0][0]
    rest = _students(con, {**params, "group_id": None, "grade_from": grade, "grade_to": grade}) - n
    if 0 < rest < access.min_group_size:
        raise SmallScope(f"в параллели кроме выбранного класса {rest} {plural(rest, 'ученик', 'ученика', 'учеников')}"
                         f" — меньше {access.min_group_size}: цифры класса, вычтенные из цифр параллели, указали "
                         "бы на них, поэтому для обезличенного просмотра класс отдельно не показывается; "
                         "выберите параллель")


def _students(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> int:
    """scope_students.sql, which reads the scope macros of sql/_setup.sql (made here on a fresh connection)."""
    try:
        return con.execute(_sql("scope_students"), params).fetchall()[0][0]
    except duckdb.CatalogException:
        from queries.runner import ensure_setup  # queries.runner imports this module
        ensure_setup(con)
        return con.execute(_sql("scope_students"), params).fetchall()[0][0]


def _check_named(con: duckdb.DuckDBPyConnection, scope: Scope, school_id: str | None,
                 dates: tuple[dt.date, dt.date] | None, grade_from: int, grade_to: int) -> None:
    """Refuse a class, subject or teacher that exists but lies outside the rest of the scope (another
    school, grades or year; a student as the teacher): its figures would be empty and read as «no
    violations» (scope_named.sql)."""
    owners: dict[str, str] = {} if school_id is None else {"школа": school_id}
    for kind, value, what in (("group", scope.group_id, "класс"), ("subject", scope.subject_id, "предмет"),
                              ("person", scope.teacher_id, "учитель")):
        if value is None:
            continue
        rows = con.execute(_sql("scope_named"), {"kind": kind, "id": value}).fetchall()
        if not rows:
            raise ScopeError(not_found(con, kind, value))
        owner, grade, year_name, year_start, year_end, role = rows[0]
        for other, other_school in owners.items():
            if owner != other_school:
                tail = f"выбрана школа {other_school}" if other == "школа" else f"{other} — к школе {other_school}"
                raise ScopeError(f"{what} «{value}» относится к другой школе ({owner}); {tail}")
        owners[f"{what} «{value}»"] = owner
        if kind == "group" and not grade_from <= grade <= grade_to:
            band = f"{grade_from}-я параллель" if grade_from == grade_to else f"параллели {grade_from}–{grade_to}"
            raise ScopeError(f"класс «{value}» ({grade}-я параллель) не входит в выбранные период, уровень или "
                             f"параллель ({band})")
        if kind == "group" and dates is not None and (year_end < dates[0] or year_start > dates[1]):
            raise ScopeError(f"класс «{value}» относится к {year_name} учебному году, а выбранные даты "
                             f"({dates[0]:%d.%m.%Y}–{dates[1]:%d.%m.%Y}) — нет")
        if kind == "person" and role == "student":
            raise ScopeError(f"«{value}» — ученик, а не учитель")
