"""Elschool «Табель успеваемости»: the real sample page, its Excel export, refusals."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from queries import Scope, run
from etl.warehouse import connect_readonly
from tests.adapter_fixtures import SAMPLES, query

PAGE = SAMPLES / "elschool" / "grades_page_test.html"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("elschool") / "wh.duckdb"
    import_extract(adapter("elschool").read(PAGE, ImportOptions()), db)
    return db


def test_page_maps_every_mark_with_both_dates() -> None:
    ex = adapter("elschool").read(PAGE, ImportOptions())
    assert ex.mode == "delta" and ex.system == "elschool"
    assert len(ex.rows("marks")) == 91
    assert [s["name"] for s in ex.rows("subjects")] == [
        "Эльфийский язык как государственный язык Лесного Королевства", "Алхимия", "Дезинформатика"
    ]
    (group,) = ex.rows("groups")
    assert (group["name"], group["grade"]) == ("3А", 3)
    (person,) = ex.rows("people")
    assert (person["last_name"], person["first_name"], person["middle_name"]) == ("Рюрикович", "Иван", "Васильевич")
    first = ex.rows("marks")[0]  # first span of the page: lesson 28.09.2022, entered 28.10.2022, «2»
    lesson = next(r for r in ex.rows("lessons") if r["id"] == first["lesson_id"])
    assert (lesson["lesson_date"], first["entered_at"], first["value"]) == (dt.date(2022, 9, 28), dt.date(2022, 10, 28), "2")
    assert "elschool/grades_page_test.html" in ex.raw


def test_load_keeps_lags_and_flags_the_two_marks_entered_before_their_lesson(loaded: Path) -> None:
    rows = query(loaded, "SELECT count(*), sum(flag_entered_before_lesson::INT), "
                         "median(date_diff('day', lesson_date, entered_at::DATE)), "
                         "max(date_diff('day', lesson_date, entered_at::DATE)), "
                         "list(DISTINCT entered_at_precision), list(DISTINCT entered_at_source), "
                         "list(DISTINCT source_system) FROM marks")
    assert rows == [(91, 2, 7.0, 97, ["date"], ["elschool:Дата проставления"], ["elschool"])]
    early = query(loaded, "SELECT lesson_date, entered_at::DATE FROM marks WHERE flag_entered_before_lesson "
                          "ORDER BY lesson_date")
    # 14.12.2022 entered 31.10.2022 (−44 days) and one −208 days, as the page says
    lags = sorted((e - l).days for l, e in early)
    assert lags == [-208, -44]


def test_metric_lists_the_two_marks_entered_before_the_lesson(loaded: Path) -> None:
    con = connect_readonly(loaded)
    try:
        df = run(con, "mark_entered_before_lesson",
                 Scope(date_from=dt.date(2022, 9, 1), date_to=dt.date(2023, 8, 31), as_of=dt.date(2023, 9, 1)))
    finally:
        con.close()
    assert df.height == 2


def test_reimport_of_same_page_changes_nothing(loaded: Path) -> None:
    result = import_extract(adapter("elschool").read(PAGE, ImportOptions()), loaded)
    assert result.report.status == "unchanged"


def _export_xls(tmp: Path, keep_popovers: bool) -> Path:
    """What «Выгрузить в Excel» writes: the grades table in an HTML .xls, here in cp1251."""
    html = PAGE.read_text(encoding="utf-8")
    table = html[html.index('<table class="table table-bordered GradesTable"'):]
    table = table[: table.index("</table>") + len("</table>")]
    if not keep_popovers:
        table = re.sub(r'data-popover-content="[^"]*"', "", table)
    doc = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="windows-1251">'
           f"</head><body>{table}</body></html>")
    p = tmp / "Табель успеваемости.xls"
    p.write_bytes(doc.encode("cp1251"))
    return p


def test_excel_export_with_popovers_needs_names_from_options(tmp_path: Path) -> None:
    xls = _export_xls(tmp_path, keep_popovers=True)
    with pytest.raises(AdapterError, match="--school-name"):
        adapter("elschool").read(xls, ImportOptions())
    ex = adapter("elschool").read(xls, ImportOptions(school_name="Гимназия", grade=3, class_name="3А",
                                                     student_name="Рюрикович Иван Васильевич"))
    assert len(ex.rows("marks")) == 91
    assert ex.rows("subjects")[0]["name"].startswith("Эльфийский")  # decoded from cp1251


def test_excel_export_without_dates_is_refused_plainly(tmp_path: Path) -> None:
    xls = _export_xls(tmp_path, keep_popovers=False)
    with pytest.raises(AdapterError, match="даты могли потеряться"):
        adapter("elschool").read(xls, ImportOptions(school_name="Гимназия", grade=3, class_name="3А",
                                                     student_name="Рюрикович Иван"))


def test_not_a_grades_page_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.html"
    p.write_text("<html><body><p>Вход в систему</p></body></html>", encoding="utf-8")
    with pytest.raises(AdapterError, match="x.html: не найдена таблица"):
        adapter("elschool").read(p, ImportOptions())
