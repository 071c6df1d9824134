"""Russian presentation of figures and names: decimal comma, percentages, dates, «Фамилия И. О.», plurals.

Formatting only: every value shown is computed in queries/.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

from etl.rounding import half_up
from etl.russian import PERCENTAGE_POINTS, plural

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря")
NBSP = "\u00a0"


def number(value: float | int | None, digits: int = 1) -> str:
    """12.5 → «12,5»; 12055 → «12 055»; integers stay integers; None → «—». Rounded half up as the
    deck rounds (etl.rounding)."""
    if value is None:
        return "—"
    if isinstance(value, int) or digits == 0:
        return f"{int(half_up(value)):,}".replace(",", NBSP)
    return f"{half_up(value, digits):,.{digits}f}".replace(",", NBSP).replace(".", ",")


def share(value: float | None, digits: int = 1) -> str:
    """A share 0.9731 → «97,3 %»; 0.9645 → «96,5 %», as the deck shows it (etl.rounding)."""
    return "—" if value is None else f"{number(half_up(value, digits, 100), digits)}{NBSP}%"


def probability(p: float, warn_from: float | None = None) -> str:
    """A forecast's probability as people read it: whole percent, «менее 1 %» rather than a misleading «0 %»,
    and «более 99 %» rather than «100 %»: the period is not over, and a forecast is no verdict. Below
    `warn_from` (the share from which the reader is warned) it never rounds up to it: 49,7 % reads «49 %»,
    not the «50 %» that comes with a warning everywhere else."""
    whole = half_up(p, 0, 100)
    if whole < 1:
        return f"менее 1{NBSP}%"
    if warn_from is not None and p < warn_from <= whole / 100:
        return f"{math.ceil(warn_from * 100) - 1}{NBSP}%"
    return share(p, 0) if whole < 100 else f"более 99{NBSP}%"


def percent(value: float | None, digits: int = 1) -> str:
    """A value already in percent 97.3 → «97,3 %»."""
    return "—" if value is None else f"{number(float(value), digits)}{NBSP}%"


def long_date(day: dt.date) -> str:
    """«20 января 2026 г.»"""
    return f"{day.day}{NBSP}{MONTHS_GENITIVE[day.month - 1]} {day.year}{NBSP}г."


def short_date(day: dt.date) -> str:
    """«20.01.2026»"""
    return f"{day:%d.%m.%Y}"


def day_month(day: dt.date) -> str:
    """«20.01»"""
    return f"{day:%d.%m}"


def date_list(days: Iterable[dt.date], limit: int = 12) -> str:
    """Dates of a row of a findings table, one per case: «03.09 (2), 10.09, 17.09 и ещё 4 дня», so that the
    dates add up to the row's number of cases."""
    per_day = Counter(days)
    items = [f"{day_month(d)} ({n})" if n > 1 else day_month(d) for d, n in sorted(per_day.items())]
    rest = len(items) - limit
    shown = ", ".join(items[:limit])
    return f"{shown} и ещё {counted(rest, 'день', 'дня', 'дней')}" if rest > 0 else shown


def short_name(last: str, first: str | None, middle: str | None) -> str:
    """«Иванова А. П.» (initials separated by a non-breaking space so a line never splits them)."""
    initials = [f"{p.strip()[0]}." for p in (first, middle) if p and p.strip()]
    return NBSP.join([last.strip(), *initials]) if initials else last.strip()


def full_name(last: str, first: str | None, middle: str | None) -> str:
    return " ".join(p.strip() for p in (last, first, middle) if p and p.strip())


def signed(value: float, digits: int = 1) -> str:
    """A change as a document prints it: «+0,4», «−0,6» (a typographic minus), «0,0» without a sign."""
    rounded = half_up(value, digits)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return sign + number(abs(rounded), digits)


def points(value: float) -> str:
    """A change of a percentage as a document prints it: «+0,4 п. п.», «−0,6 п. п.» (the deck's unit)."""
    return f"{signed(value)}{NBSP}{PERCENTAGE_POINTS}"


def verb_for(n: int, one: str, other: str) -> str:
    """The verb before a number agrees with its last word: «Проверен 21 урок», «Проверено 22 урока», «Проверено
    25 уроков» (a count ending in «один» takes the singular)."""
    return one if plural(n, "one", "few", "many") == "one" else other


def counted(n: int, one: str, few: str, many: str) -> str:
    """«4 учителя», «21 урок»."""
    return f"{number(n)}{NBSP}{plural(n, one, few, many)}"


def one_or_many(n: int, one: str, many: str) -> str:
    """The word before a list of n names: «учителем: Иванова А. П.» but «учителями: Иванова А. П., …». Not
    `plural`: 21 teachers are «учителями», whatever the last digit."""
    return one if n == 1 else many


def join_names(names: Iterable[str]) -> str:
    return ", ".join(names)


def names_sentence(names: Iterable[str]) -> str:
    """«Иванова А. П., Петров И. С.» closing a sentence: one full stop, not a second after the initial."""
    text = join_names(names)
    return text if text.endswith(".") else text + "."
