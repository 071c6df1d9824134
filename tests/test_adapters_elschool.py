"""Elschool «Табель успеваемости»: the real sample page, its Excel export, refusals."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from etl.warehouse import connect_readonly
from queries import Scope, run
from tests.adapter_fixtures import SAMPLES, query
from tests.elschool_export import export_elschool
from tests.round_trip import differing, metrics, subset_school

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


# ---------------------------------------------------------------- round trip

# The page carries, per mark, its value, subject, lesson date and entry date (data-formats §6.1), and
# nothing else; docs/adapters.md (Elschool, round trip) lists what that leaves out and why. Compared:
# each mark's entry lag in calendar days (mark_lag) and the marks "entered" before their lesson, without
# the lesson (no lesson ids: one lesson per subject and day), its teacher and group (no teacher, no
# subgroup), who entered the mark, its work type, weight and deadline, school days (no holidays), and
# with the entry time cut to its date (the page gives a date).
ELSCHOOL_CLASSES = ("8Б", "11Б")  # a page per pupil; the two planted marks entered before the lesson
ELSCHOOL_ROUND_TRIP = ("mark_lag", "mark_entered_before_lesson")
ELSCHOOL_ADJUST = {
    "mark_lag": lambda df: df.drop("lesson_id", "teacher_id", "group_id", "work_type_name", "is_control", "entered_by",
                                   "lag_precision", "school_days_min", "school_days_max", "deadline_days", "timeliness")
    .with_columns(pl.col("entered_at").cast(pl.Date)),
    "mark_entered_before_lesson": lambda df: df.drop("lesson_id", "teacher_id", "group_id", "entered_by")
    .with_columns(pl.col("entered_at").cast(pl.Date)),
}


@pytest.mark.slow
def test_demo_pupils_through_elschool_pages_give_the_same_metrics(demo_school, tmp_path: Path) -> None:
    bundle, canonical_db = subset_school(demo_school.bundle, tmp_path / "canonical", ELSCHOOL_CLASSES)
    ids = export_elschool(bundle, tmp_path / "elschool")
    db = tmp_path / "elschool.duckdb"
    pages = sorted((tmp_path / "elschool").iterdir())
    for n, page in enumerate(pages):  # one page, one import, one batch (stamped a second apart)
        report = import_extract(adapter("elschool").read(page, ImportOptions()), db,
                                now=dt.datetime(2026, 6, 1, 8) + dt.timedelta(seconds=n)).report
        assert report.status == "loaded" and not report.top_reject_reasons
    assert len(pages) == query(canonical_db, "SELECT count(DISTINCT student_id) FROM marks")[0][0]
    canonical = metrics(canonical_db, ELSCHOOL_ROUND_TRIP, adjust=ELSCHOOL_ADJUST)
    assert differing(canonical, metrics(db, ELSCHOOL_ROUND_TRIP, ids.back, ELSCHOOL_ADJUST)) == []
    # the comparison has teeth: every mark's lag, the two planted early entries, lags of several days
    assert canonical["mark_lag"].height == query(canonical_db, "SELECT count(*) FROM marks")[0][0]
    assert canonical["mark_entered_before_lesson"].height == 2
    assert canonical["mark_lag"]["lag_days"].max() > 7


def _damaged(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(("name", "damage", "message"), [
    # a page cut off while saving: the first rows loaded silently, the rest of the year was missing
    ("cut.html", lambda t: t[: t.index('<tr lesson="3">') + 400],
     ("cut.html: файл оборван на строке 656: таблица не закрыта (нет «</table>»), часть отметок потеряна; "
      "сохраните страницу (выгрузку) заново")),
    # one popover in a new wording: that mark was dropped without a word, 90 of 91 loaded
    ("label.html", lambda t: t.replace("Дата проставления", "Дата выставления", 1),
     ("label.html: «Эльфийский язык как государственный язык Лесного Королевства», 1 четверть, отметка «2» "
      "(строка таблицы 1): в подсказке нет «Дата урока: ДД.ММ.ГГГГ … Дата проставления: ДД.ММ.ГГГГ» "
      "(таких отметок: 1); страница другой версии Elschool?")),
    # a subject row twice: its 27 marks were loaded twice (118 marks)
    ("twice.html", lambda t: t.replace('<tr lesson="3">', t[t.index('<tr lesson="2">'):t.index('<tr lesson="3">')]
                                       + '<tr lesson="3">'),
     "twice.html: предмет «Алхимия» дважды в таблице (строки 2 и 3); сохраните страницу заново"),
    # an ISO date was quoted as «2022»
    ("iso.html", lambda t: t.replace("Дата урока: 28.09.2022", "Дата урока: 2022-09-28", 1),
     ("iso.html: «Эльфийский язык как государственный язык Лесного Королевства», 1 четверть, отметка «2» "
      "(строка таблицы 1): «2022-09-28» — не дата вида ДД.ММ.ГГГГ")),
], ids=["cut", "label", "twice", "iso"])
def test_a_damaged_page_is_refused_naming_the_place(tmp_path: Path, name: str, damage, message: str) -> None:
    page = _damaged(tmp_path, name, damage(PAGE.read_text(encoding="utf-8")))
    with pytest.raises(AdapterError) as e:
        adapter("elschool").read(page, ImportOptions())
    assert str(e.value) == message


def test_a_page_saved_in_cp1251_without_its_charset_reads_the_same(tmp_path: Path) -> None:
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", PAGE.read_text(encoding="utf-8"), flags=re.IGNORECASE)
    text = text.replace("\ufeff", "")  # a BOM in the page's body has no cp1251 byte
    page = tmp_path / "cp1251.html"
    page.write_bytes(text.encode("cp1251"))
    ex = adapter("elschool").read(page, ImportOptions())
    assert len(ex.rows("marks")) == 91 and ex.rows("people")[0]["last_name"] == "Рюрикович"
    assert ex.rows("subjects")[0]["name"] == "Эльфийский язык как государственный язык Лесного Королевства"


def test_a_login_page_saved_instead_of_the_grades_is_named(tmp_path: Path) -> None:
    """«не найдена таблица «Табель успеваемости»» for a login page: the admin searched a page with no data."""
    page = tmp_path / "Табель успеваемости.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Elschool — вход</title></head><body>'
                    '<form method="post"><input name="login"><input type="Password" name="password"></form>'
                    "</body></html>", encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        adapter("elschool").read(page, ImportOptions())
    assert str(e.value) == ("Табель успеваемости.html: это страница входа в Elschool («Elschool — вход»), а не таблица "
                            "«Табель успеваемости» (заголовок «Предмет»): страницу сохранили, не войдя в систему (или "
                            "сеанс истёк); войдите в Elschool и сохраните страницу отчёта заново")
