"""The 2025/2026 school calendar: vacations, public holidays, reporting periods and school days.

Dates follow the usual federal calendar (ФОП): autumn, winter and spring vacations, the extra February
week for grade 1, and the public holidays of 2026 with their transferred days off. Reporting periods are
the regulation's: semesters in grades 2–9, half-years in 10–11 (annex 3 p.2), plus a whole-year row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

YEAR_NAME = "2025/2026"
YEAR_START = date(2025, 9, 1)
YEAR_END = date(2026, 5, 31)


@dataclass(frozen=True)
class DaysOff:
    key: str
    name: str
    kind: str  # vacation | holiday
    start: date
    end: date
    grade_from: int = 1
    grade_to: int = 11


DAYS_OFF: tuple[DaysOff, ...] = (
    DaysOff("autumn", "Осенние каникулы", "vacation", date(2025, 10, 25), date(2025, 11, 4)),
    DaysOff("unity", "День народного единства", "holiday", date(2025, 11, 4), date(2025, 11, 4)),
    DaysOff("winter", "Зимние каникулы", "vacation", date(2025, 12, 29), date(2026, 1, 11)),
    DaysOff("grade1", "Дополнительные каникулы для 1 классов", "vacation", date(2026, 2, 14), date(2026, 2, 22), 1, 1),
    DaysOff("defender", "День защитника Отечества", "holiday", date(2026, 2, 23), date(2026, 2, 23)),
    DaysOff("women", "Международный женский день (перенос выходного)", "holiday", date(2026, 3, 8), date(2026, 3, 9)),
    DaysOff("spring", "Весенние каникулы", "vacation", date(2026, 3, 28), date(2026, 4, 5)),
    DaysOff("may1", "Праздник Весны и Труда", "holiday", date(2026, 5, 1), date(2026, 5, 1)),
    DaysOff("victory", "День Победы (перенос выходного)", "holiday", date(2026, 5, 9), date(2026, 5, 11)),
)


@dataclass(frozen=True)
class Period:
    key: str
    name: str
    kind: str  # semester | half_year | year
    number: int
    start: date
    end: date
    grade_from: int
    grade_to: int


SEMESTER_BOUNDS = ((date(2025, 9, 1), date(2025, 12, 26)), (date(2026, 1, 12), date(2026, 5, 29)))

PERIODS: tuple[Period, ...] = (
    Period("s1", "1 семестр", "semester", 1, *SEMESTER_BOUNDS[0], 2, 9),
    Period("s2", "2 семестр", "semester", 2, *SEMESTER_BOUNDS[1], 2, 9),
    Period("h1", "1 полугодие", "half_year", 1, *SEMESTER_BOUNDS[0], 10, 11),
    Period("h2", "2 полугодие", "half_year", 2, *SEMESTER_BOUNDS[1], 10, 11),
    Period("y29", "Учебный год", "year", 1, YEAR_START, YEAR_END, 2, 9),
    Period("y1011", "Учебный год", "year", 1, YEAR_START, YEAR_END, 10, 11),
)

# Students who change class do it over the winter vacation, between the two periods.
MOVE_DATE = SEMESTER_BOUNDS[1][0]


def period_key(grade: int, number: int) -> str:
    """Key of the semester / half-year `number` (1, 2) that applies to `grade`."""
    return ("s" if grade <= 9 else "h") + str(number)


def year_period_key(grade: int) -> str:
    return "y29" if grade <= 9 else "y1011"


def period_number(d: date) -> int | None:
    for n, (start, end) in enumerate(SEMESTER_BOUNDS, start=1):
        if start <= d <= end:
            return n
    return None


def _off(d: date, grade: int) -> bool:
    return any(o.start <= d <= o.end and o.grade_from <= grade <= o.grade_to for o in DAYS_OFF)


def school_days() -> pl.DataFrame:
    """(grade, date, weekday 0–4, period_no) for every school day of a 5-day week, per grade."""
    rows = []
    d = YEAR_START
    while d <= YEAR_END:
        if d.weekday() < 5:
            p = period_number(d)
            if p is not None:
                for grade in range(1, 12):
                    if not _off(d, grade):
                        rows.append((grade, d, d.weekday(), p))
        d += timedelta(days=1)
    return pl.DataFrame(
        rows, schema={"grade": pl.Int8, "date": pl.Date, "weekday": pl.Int8, "period_no": pl.Int8}, orient="row"
    )


def last_school_days(days: pl.DataFrame, period_no: int, n: int) -> list[date]:
    """The last n school days of a period (grade 2, the same for every grade ≥ 2)."""
    d = days.filter((pl.col("grade") == 2) & (pl.col("period_no") == period_no)).get_column("date").sort()
    return d.tail(n).to_list()
