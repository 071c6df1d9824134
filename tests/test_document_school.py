"""Documents in a warehouse of two schools (a municipal administration): each document is for one school;
a period, year, class or teacher of the other school is refused (exit 2, nothing written) instead of a
traceback (IndexError) or a document with one school's heading over the other school's pupils. So is a
class outside the period's grades (5А in the half-year of 10–11), which gave an empty справка."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.metrics_fixtures import SEM, D, school


@pytest.fixture()
def two_schools(tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.insert("schools", id="s2", name="Лицей «Парус»", school_week_days=5)
    s.insert("academic_years", id="y25b", school_id="s2", name="2025/2026", start_date=D(2025, 9, 1),
             end_date=D(2026, 5, 31))
    s.insert("periods", id="p1b", school_id="s2", academic_year_id="y25b", name="1 семестр", kind="semester",
             number=1, start_date=SEM[1], end_date=SEM[2], grade_from=2, grade_to=9)
    s.insert("people", id="t2", school_id="s2", role="teacher", last_name="Орлова", first_name="Анна")
    s.insert("people", id="c1", school_id="s2", role="student", last_name="Козлов", first_name="Иван")
    s.insert("groups", id="7a", school_id="s2", academic_year_id="y25b", name="7А", kind="class", grade=7)
    s.insert("memberships", group_id="7a", student_id="c1", valid_from=SEM[1])
    s.insert("subjects", id="math2", school_id="s2", name="Математика")
    s.lesson("5a", "math", D(2025, 9, 8), topic=None)
    s.lesson("7a", "math2", D(2025, 9, 8), teacher="t2", topic=None)
    s.con.close()
    return path


@pytest.mark.parametrize(("args", "message"), [
    (["spravka", "--from", "2025-09-01", "--to", "2025-12-26"], "в хранилище 2 школ(ы): укажите --school"),
    (["spravka", "--period", "p1", "--class", "7a"], "класс «7a» относится к другой школе (s2), а документ — для школы s1"),
    (["prikaz", "--period", "p1", "--teacher", "t2"],
     "учитель «t2» относится к другой школе (s2), а документ — для школы s1"),
    (["vedomost", "--period", "p1", "--school", "s2"],
     "период «p1» относится к другой школе (s1), а документ — для школы s2"),
    (["vedomost", "--year", "y25", "--school", "s2"],
     "учебный год «y25» относится к другой школе (s1), а документ — для школы s2"),
    (["raspechatka", "--class", "7a", "--week", "2025-09-08", "--school", "s1"],
     "класс «7a» относится к другой школе (s2), а документ — для школы s1"),
    (["spravka", "--period", "h1", "--class", "5a"], "класс «5a» (5-я параллель) не входит в выбранные период, уровень или параллель (параллели 10–11)"),
    (["vedomost", "--period", "h1", "--class", "5a"], "класс «5a» (5-я параллель) не входит в выбранные период, уровень или параллель (параллели 10–11)"),
])
def test_other_schools_things_refused(two_schools: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "doc.pdf"
    r = CliRunner().invoke(app, [*args, "--date", "2026-02-01", "--out", str(out), "--db", str(two_schools)])
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split())
    assert not out.exists()


def test_dates_with_a_school_and_a_class_alone_find_their_school(two_schools: Path, tmp_path: Path) -> None:
    for args in (["spravka", "--from", "2025-09-01", "--to", "2025-12-26", "--school", "s2"],
                 ["raspechatka", "--class", "7a", "--week", "2025-09-08"]):
        out = tmp_path / f"{args[0]}.docx"
        r = CliRunner().invoke(app, [*args, "--date", "2026-02-01", "--out", str(out), "--db", str(two_schools)])
        assert r.exit_code == 0, r.output
        assert docx.Document(str(out)).paragraphs[0].text == "Лицей «Парус»"
