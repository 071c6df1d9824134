"""Plain-Russian reasons for a forecast and what would change it, from the numbers already computed."""

from __future__ import annotations

from typing import Any

from etl.rounding import half_up
from etl.russian import plural


def _num(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def reasons(row: dict[str, Any], norms: dict[str, Any]) -> str:
    """«средневзвешенный 2,74; не написаны 2 контрольные; пропущено 45,5 % уроков (5 из 11)» for one row of
    the forecast as it is returned (averages and the absence share already rounded half up, etl.rounding):
    the share reads as the deck's «Доля пропусков» cell beside it, and the lessons behind it are named."""
    parts: list[str] = []
    if row["weighted_avg"] is None:
        # the pupil's own shortfall is a certain «н/а» by the rule: the parents are told how many marks it takes
        parts.append(f"нет отметок (нужно не менее {int(row['min_marks'])} за период)" if row["own_few_marks"]
                     else "нет отметок")
    else:
        # two decimals, as the letter's column beside it: at one, 4,46 would read «4,5» next to a forecast «4»
        parts.append(f"средневзвешенный {_num(row['weighted_avg'], 2)}")
    # only the pupil's own shortfall: a whole course short of marks is the teacher's pace (marking_pace)
    if row["n_marks"] and row["own_few_marks"]:
        parts.append(f"мало отметок: {row['n_marks']} (нужно не менее {int(row['min_marks'])} за период)")
    missed = row["missed_control_works"]
    if missed:
        verb = "не написана" if missed % 10 == 1 and missed % 100 != 11 else "не написаны"
        parts.append(f"{verb} {missed} {plural(missed, 'контрольная', 'контрольные', 'контрольных')}")
    share = row["absence_share"]
    if share is not None and share >= float(norms["attendance"]["systematic_absence_share"]):
        parts.append(f"пропущено {_num(half_up(share, 1, 100))} % уроков "
                     f"({row['lessons_missed']} из {row['lessons_so_far']})")
    if row["n_twos"] and row["n_twos"] >= 2:
        parts.append(f"{row['n_twos']} {plural(row['n_twos'], 'двойка', 'двойки', 'двоек')}")
    if row["previous_na"]:
        parts.append("«н/а» за прошлый период")
    elif row["previous_mark"] is not None and row["previous_mark"] <= 2:
        parts.append("«2» за прошлый период")
    return "; ".join(parts)


def needs(next_mark: int | None, fives: int, fours: int | None, lessons_left: int | None = None) -> str:
    """«до «4»: ещё 2 × «5» (или 3 × «4»)» — ordinary marks of weight 1 under the school's rounding. When more
    «5» are needed than lessons remain, it says so («…, а до конца периода 4 урока»): a parent must not read
    «ещё 21 × «5»» in December as a plan (a lesson can bring more than one mark, so it is not «impossible»)."""
    if next_mark is None:
        return ""
    text = f"до «{next_mark}»: ещё {fives} × «5»"
    if fours:
        text += f" (или {fours} × «4»)"
    if lessons_left is not None and fives > lessons_left:
        text += (f", а до конца периода {lessons_left} {plural(lessons_left, 'урок', 'урока', 'уроков')}"
                 if lessons_left > 0 else ", а уроков до конца периода больше нет")
    return text
