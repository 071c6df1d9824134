"""Pages for parents name the pupil as Russian does: «Ученица: …» for a girl (people.sex = 'f'), «Ученик: …»
otherwise. Before, every page said «Ученик: Абрамова Надежда Михайловна»."""

from __future__ import annotations

from etl.norms import load_norms
from reports import forecast_letter, weekly
from tests.metrics_fixtures import D, school


def _heads(doc) -> list[str]:
    return [b.text.replace("\u00a0", " ") for b in doc.blocks if getattr(b, "style", None) == "subtitle"
            and b.text.startswith("Учени")]


def test_a_girl_is_ученица_and_a_pupil_of_unknown_sex_ученик() -> None:
    s = school()
    s.con.execute("UPDATE people SET sex = 'f' WHERE id = 'a2'")
    s.con.execute("UPDATE people SET sex = 'm' WHERE id = 'a1'")
    lesson = s.lesson("5a", "math", D(2025, 9, 15))
    for pupil in ("a1", "a2", "a3"):
        s.mark(lesson, pupil, "4")
    expected = ["Ученик: Алексеев Имя, 5А класс", "Ученица: Борисова Имя, 5А класс", "Ученик: Васильев Имя, 5А класс"]
    letter = _heads(forecast_letter.build(s.con, "5a", D(2025, 9, 20), load_norms()))
    printout = _heads(weekly.build(s.con, "s1", "5a", D(2025, 9, 15)))  # a Monday
    for heads in (letter, printout):
        assert heads[:3] == expected, heads
