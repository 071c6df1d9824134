"""Ids → the names a document prints (people as «Фамилия И. О.», classes, subjects, periods)."""

from __future__ import annotations

import datetime as dt
import polars as pl

from queries.documents import Directory
from reports.text import full_name, short_name


class Names:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self._people = {r["id"]: r for r in directory.people.iter_rows(named=True)}
        self._groups = {r["id"]: r for r in directory.groups.iter_rows(named=True)}
        self._subjects = {r["id"]: r for r in directory.subjects.iter_rows(named=True)}

    def _person(self, person_id: str) -> dict | None:
        return self._people.get(person_id)

    def person(self, person_id: str | None) -> str:
        """«Иванова А. П.»; an id unknown to the school stays visible rather than vanishing."""
        p = self._person(person_id) if person_id else None
        return short_name(p["last_name"], p["first_name"], p["middle_name"]) if p else (person_id or "—")

    def person_full(self, person_id: str) -> str:
        p = self._person(person_id)
        return full_name(p["last_name"], p["first_name"], p["middle_name"]) if p else person_id

    def is_girl(self, person_id: str) -> bool:
        """Whether a page for parents words the pupil as a girl (sex unknown or pseudonymised: no)."""
        p = self._person(person_id)
        return bool(p) and p["sex"] == "f"

    def pupil(self, person_id: str) -> str:
        """«Ученица: Фамилия Имя Отчество» for a girl, «Ученик: …» otherwise (sex unknown or pseudonymised):
        the line a page for parents opens with."""
        word = "Ученица" if self.is_girl(person_id) else "Ученик"
        return f"{word}: {self.person_full(person_id)}"

    def homeroom(self, class_id: str) -> str | None:
        """The class teacher of `class_id` as «Фамилия И. О.», None when the journal names none."""
        g = self._groups.get(class_id)
        return self.person(g["homeroom_teacher_id"]) if g and g["homeroom_teacher_id"] else None

    def sort_key(self, person_id: str) -> tuple[str, str]:
        return (self.person(person_id), person_id)

    def group(self, group_id: str | None) -> str:
        g = self._groups.get(group_id)
        return g["name"] if g else (group_id or "—")

    def is_class(self, group_id: str) -> bool:
        g = self._groups.get(group_id)
        return bool(g) and g["kind"] == "class"

    def group_grade(self, group_id: str) -> int:
        g = self._groups.get(group_id)
        return int(g["grade"]) if g else 0

    def subject(self, subject_id: str | None, short: bool = False) -> str:
        s = self._subjects.get(subject_id)
        return s["short_name" if short else "name"] if s else (subject_id or "—")

    @property
    def school_name(self) -> str:
        return self.directory.school["name"][0]

    @property
    def school_full_name(self) -> str:
        return self.directory.school["full_name"][0]

    def period(self, period_id: str) -> dict:
        rows = self.directory.school.filter(pl.col("period_id") == period_id)
        return rows.row(0, named=True)

    def period_phrase(self, period_id: str) -> str:
        """What a document's title says after «за»: «1 семестр 2025/2026 учебного года», but for the
        school year itself «2025/2026 учебный год» (not «Учебный год 2025/2026 учебного года»)."""
        p = self.period(period_id)
        if p["period_kind"] == "year":
            return f"{p['academic_year']} учебный год"
        return f"{p['period_name']} {p['academic_year']} учебного года"

    def year_of(self, day: dt.date) -> str:
        rows = self.directory.school.filter((pl.col("start_date") <= day) & (pl.col("end_date") >= day))
        return rows["academic_year"][0] if rows.height else self.directory.school["academic_year"][0]

    def staff(self, position_prefix: str) -> str | None:
        """The first staff member (by name) whose position starts with the prefix, as «Фамилия И. О.»."""
        rows = self.directory.people.filter(pl.col("position").str.to_lowercase().str.starts_with(position_prefix))
        return self.person(rows["id"][0]) if rows.height else None
