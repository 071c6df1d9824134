"""What a load and `zavuch status` print, and the deck's Данные tables, name the tables and batch states
in Russian («отметки», «загружена»), not by the warehouse's English identifiers («marks», «loaded»)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from rich.console import Console

from cli.load import print_report
from cli.status import print_status
from dashboard import fmt
from etl.loader import load_bundle
from etl.warehouse import connect_readonly
from queries import FAMILIES, Scope, period_summary
from queries.deck import lookups
from queries.status import warehouse_status
from tests.load_fixtures import T0, school, write_bundle, write_csv
from tests.metrics_fixtures import school as built_school


def _load_with_two_bad_marks(tmp: Path):
    data = school()
    data.pop("marks")
    bundle = write_bundle(tmp / "b", data)
    write_csv(bundle / "marks.csv", ["Ид", "Ученик", "Урок", "Отметка"],
              [["K1", "P1", "L9", "5"], ["K2", "P1", "L9", "4"], ["K3", "P1", "L1", "5"]])
    db = tmp / "w.duckdb"
    return db, load_bundle(bundle, db, now=T0)


def _printed(draw) -> str:
    console = Console(record=True, width=200)
    draw(console)
    return console.export_text()


def test_load_summary_names_tables_in_russian(tmp_path: Path) -> None:
    _, report = _load_with_two_bad_marks(tmp_path)
    lines = report.summary().splitlines()
    marks_line = next(line for line in lines if line.startswith("отметки "))
    assert marks_line.split() == ["отметки", "3", "1", "0", "0", "2", "0"]
    assert "  marks.csv (отметки): урок L9 не найден — 2" in lines
    assert not any(line.startswith("marks") for line in lines)


def test_cli_load_and_status_tables_in_russian(tmp_path: Path) -> None:
    db, report = _load_with_two_bad_marks(tmp_path)
    shown = _printed(lambda c: print_report(report, c))
    assert "│ отметки " in shown
    assert "│ marks " not in shown and "│ schools " not in shown
    con = connect_readonly(db)
    try:
        status = _printed(lambda c: print_status(warehouse_status(con), str(db), c))
    finally:
        con.close()
    batch_row = next(line for line in status.splitlines() if line.startswith("│ 1 "))
    assert [cell.strip() for cell in batch_row.split("│")[2:4]] == ["zavuch", "загружена"]
    reject_row = next(line for line in status.splitlines() if "урок L9 не найден" in line)
    assert [cell.strip() for cell in reject_row.split("│")[1:5]] == ["marks.csv", "отметки", "урок L9 не найден", "2"]


def test_deck_batches_and_rejects_in_russian(tmp_path: Path) -> None:
    db, _ = _load_with_two_bad_marks(tmp_path)
    con = connect_readonly(db)
    try:
        st, lk = warehouse_status(con), lookups(con)
    finally:
        con.close()
    batches = fmt.named(st.batches, lk)
    assert batches["Состояние"].to_list() == ["загружена"]
    rejects = fmt.named(st.reject_reasons, lk)
    assert rejects.row(0, named=True)["Таблица"] == "отметки"


def test_deck_periods_table_in_russian(tmp_path: Path) -> None:
    data = school()
    data["periods"] = [
        {"id": "PS1", "school_id": "S1", "academic_year_id": "Y1", "name": "1 семестр", "kind": "semester",
         "number": "1", "start_date": "2025-09-01", "end_date": "2025-12-26", "grade_from": "2", "grade_to": "9"},
        {"id": "PH1", "school_id": "S1", "academic_year_id": "Y1", "name": "1 полугодие", "kind": "half_year",
         "number": "1", "start_date": "2025-09-01", "end_date": "2025-12-26", "grade_from": "10", "grade_to": "11"},
        {"id": "PY", "school_id": "S1", "academic_year_id": "Y1", "name": "Учебный год", "kind": "year",
         "number": "1", "start_date": "2025-09-01", "end_date": "2026-05-31", "grade_from": "2", "grade_to": "11"},
    ]
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "b", data), db, now=T0)
    con = connect_readonly(db)
    try:
        st, lk = warehouse_status(con), lookups(con)
    finally:
        con.close()
    shown = fmt.named(st.periods.sort("period_id"), lk)
    assert shown.select("Учебный год", "Вид").rows() == [
        ("2025/2026", "полугодие"), ("2025/2026", "семестр"), ("2025/2026", "учебный год")]


def test_deck_code_values_in_russian() -> None:
    lk = lookups(built_school().con)
    frame = pl.DataFrame({"edge": ["first", "last"], "lag_basis": ["entered_at", "first_seen"],
                          "lag_precision": ["second", "bound"], "entered_at_precision": ["minute", "date"],
                          "source": ["attendance", "quarantine"]})
    assert fmt.named(frame, lk).rows() == [
        ("первый урок периода", "время внесения", "до секунды", "до минуты", "по пропускам"),
        ("последний урок периода", "первая загрузка", "по загрузке (время не указано)", "только дата", "карантин"),
    ]


def test_deck_checks_table_names_the_control_area_in_russian() -> None:
    """Обзор «Все проверки периода» (and its XLSX/CSV) showed the registry's keys «timeliness», «journal»."""
    built = built_school()
    found = period_summary(built.con, Scope(period_id="p1"))
    shown = fmt.named(found, lookups(built.con), ("metric",))
    areas = dict(zip(found["metric"], shown["Область контроля"], strict=True))
    assert areas["mark_late"] == "Своевременность заполнения"
    assert areas["topic_missing"] == "Заполнение журнала и соблюдение регламента"
    assert areas["chronic_absentees"] == "Посещаемость"
    assert set(shown["Область контроля"]) <= set(FAMILIES.values())


def test_deck_month_column_names_the_month() -> None:
    """«Систематически пропускающие (по месяцам)»: the «Месяц» column showed «01.01.2026»."""
    chronic = pl.DataFrame({"month_start": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
                            "week_start": [dt.date(2026, 1, 12), dt.date(2026, 2, 2)]})
    assert fmt.as_text(chronic, chronic.columns).rows() == [("январь 2026", "12.01.2026"),
                                                             ("февраль 2026", "02.02.2026")]


def test_deck_list_of_dates_reads_dd_mm_yyyy() -> None:
    """«Даты процедур» of assessment_share_high read «2025-09-26, 2025-10-24» on screen and in XLSX/CSV."""
    frame = pl.DataFrame({"assessment_dates": [[dt.date(2025, 9, 26), dt.date(2025, 10, 24)], []],
                          "lesson_ids": [["L1", "L2"], []]})
    expected = [("26.09.2025, 24.10.2025", "L1, L2"), ("", "")]
    assert fmt.as_text(frame, frame.columns).rows() == expected
    assert fmt.for_files(frame, frame.columns).rows() == expected


def test_deck_decimals_line_up_in_a_column() -> None:
    """Averages read «2,2» under «2,29» (Прогноз, Успеваемость); a column now keeps its own number of decimals."""
    frame = pl.DataFrame({"avg_mark": [2.2, 2.29, None, 3.0], "success_pct": [100.0, 99.6, 98.0, None],
                          "lag": [1.5, 2.25, 3.0, 0.125]})
    assert fmt.as_text(frame, frame.columns).rows() == [("2,20", "100,0", "1,50"), ("2,29", "99,6", "2,25"),
                                                        (None, "98,0", "3,00"), ("3,00", None, "0,13")]
    # 0.125 → «0,13»: half up, the one rule of every surface (etl.rounding), not polars' half to even
