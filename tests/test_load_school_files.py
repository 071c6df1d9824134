"""Files as a school's IT admin hands them over: a copy cut off mid-line, a folder one level too high, a
lesson dated in another year, a failed export's header-only file. Each is loaded as it should be or
refused with the place named, and a refusal leaves the warehouse byte-identical."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from etl.loader import BundleRefused, load_bundle
from tests.load_fixtures import T0, query, school, write_bundle

T1 = T0 + timedelta(hours=1)


def _digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def _cut(path: Path, drop: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - drop])


def test_a_file_cut_off_mid_line_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "good", school()), db, now=T0)
    before = _digest(db)
    cut = write_bundle(tmp_path / "cut", school())
    # the copy stopped inside K3's entry time: K4's line is gone, K3 ends in «2025-09-0»
    _cut(cut / "marks.csv", len("5\r\nK4;P1;L3;;н/а;;\r\n".encode()))
    assert (cut / "marks.csv").read_bytes().endswith(b"2025-09-0")
    with pytest.raises(BundleRefused) as e:
        load_bundle(cut, db, now=T1)
    assert str(e.value).startswith(
        "marks.csv, строка 4, столбец entered_at: файл, похоже, обрезан: последняя строка не закончена "
        "(нет перевода строки) и не читается («2025-09-0»: не дата и время"
    )
    assert _digest(db) == before
    # loaded, the snapshot marked K4 deleted at the source and rejected K3
    assert query(db, "SELECT count(*) FROM marks WHERE deleted_at IS NULL") == [(4,)]


def test_a_cut_off_file_is_refused_on_a_first_load_too(tmp_path: Path) -> None:
    cut = write_bundle(tmp_path / "cut", school())
    _cut(cut / "marks.csv", len("5\r\nK4;P1;L3;;н/а;;\r\n".encode()))
    with pytest.raises(BundleRefused, match=r"^marks\.csv, строка 4, столбец entered_at: файл, похоже, обрезан"):
        load_bundle(cut, tmp_path / "data" / "w.duckdb", now=T0)
    assert not (tmp_path / "data").exists()


def test_a_last_line_without_line_ending_still_loads_when_it_reads(tmp_path: Path) -> None:
    """Only a broken last line is taken for a cut: a hand-saved file without the final line ending loads,
    and a bad row elsewhere in it is still one reject."""
    data = school()
    data["marks"][1]["entered_at"] = "вчера"
    bundle = write_bundle(tmp_path / "b", data)
    _cut(bundle / "marks.csv", 2)  # the final «\r\n»
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    marks = report.table("marks")
    assert (marks.read, marks.inserted, marks.rejected) == (4, 3, 1)
    assert query(tmp_path / "w.duckdb", "SELECT line, column_name, value FROM rejected_rows") == [
        (3, "entered_at", "вчера")
    ]


def test_a_folder_one_level_too_high_names_the_folder_holding_the_tables(tmp_path: Path) -> None:
    write_bundle(tmp_path / "Выгрузка" / "2025-2026", school())
    (tmp_path / "Выгрузка" / "прочти.md").write_text("выгрузка ЭЖ", encoding="utf-8")
    with pytest.raises(BundleRefused) as e:
        load_bundle(tmp_path / "Выгрузка", tmp_path / "w.duckdb", now=T0)
    assert str(e.value) == (
        f"{tmp_path / 'Выгрузка'}: в пакете нет ни одного файла таблицы; файлы таблиц лежат глубже, в папке "
        "«2025-2026»: укажите эту папку (или заархивируйте её саму)"
    )
    assert not (tmp_path / "w.duckdb").exists()


def test_a_lesson_outside_its_class_s_academic_year_is_rejected_with_its_place(tmp_path: Path) -> None:
    """«02.09.2062» for 02.09.2025 loaded as a lesson 37 years ahead: the data's freshness, the snapshot's
    date range and every --from/--to figure took it in."""
    data = school()
    data["lessons"][2]["lesson_date"] = "2062-09-04"
    db = tmp_path / "w.duckdb"
    report = load_bundle(write_bundle(tmp_path / "b", data, dates="dmy"), db, now=T0)
    assert (report.table("lessons").inserted, report.table("lessons").rejected) == (2, 1)
    assert query(db, "SELECT file_name, line, column_name, value, reason FROM rejected_rows WHERE table_name = 'lessons'") == [
        ("lessons.csv", 4, "lesson_date", "04.09.2062",
         "дата урока вне учебного года 2025/2026 (01.09.2025–31.05.2026) класса (группы) G5A1"),
    ]
    # the mark on that lesson has no lesson to hang on: rejected too, naming it
    assert query(db, "SELECT line, reason FROM rejected_rows WHERE table_name = 'marks'") == [(5, "урок L3 не найден")]
    assert query(db, "SELECT max(lesson_date) FROM lessons") == [(date(2025, 9, 3),)]


def test_a_mistyped_lesson_date_in_a_newer_snapshot_keeps_the_loaded_lesson(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "a", school()), db, now=T0)
    data = school()
    data["lessons"][0]["lesson_date"] = "2026-09-02"  # the first day of the next year
    report = load_bundle(write_bundle(tmp_path / "b", data), db, now=T1)
    assert report.table("lessons").rejected == 1 and report.table("lessons").deleted == 0
    assert query(db, "SELECT lesson_date, deleted_at FROM lessons WHERE id = 'L1'") == [(date(2025, 9, 2), None)]
    assert query(db, "SELECT line, value FROM rejected_rows WHERE table_name = 'lessons'") == [(2, "2026-09-02")]


def test_a_snapshot_whose_marks_file_holds_only_its_header_is_refused(tmp_path: Path) -> None:
    """A failed export writes the header and no rows: as a snapshot it marked every mark of the bundle's
    lesson dates deleted at the source, and every figure on marks dropped to nothing."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "a", school()), db, now=T0)
    before = _digest(db)
    empty = write_bundle(tmp_path / "b", school())
    (empty / "marks.csv").write_text("id;student_id;lesson_id;value\r\n", encoding="utf-8")
    with pytest.raises(BundleRefused) as e:
        load_bundle(empty, db, now=T1)
    assert str(e.value) == (
        "marks.csv: в файле нет ни одной строки (только заголовок), а полный срез пометил бы удалёнными в "
        "источнике все 4 строки таблицы «отметки» за даты уроков пакета; выгрузите файл из ЭЖ заново или "
        "уберите его из пакета"
    )
    assert _digest(db) == before


def test_a_header_only_file_is_fine_where_nothing_would_be_deleted(tmp_path: Path) -> None:
    """A first load, or a delta, with an empty homework file deletes nothing and loads."""
    data = school()
    data["homework"] = []
    report = load_bundle(write_bundle(tmp_path / "b", data), tmp_path / "w.duckdb", now=T0)
    assert (report.table("homework").read, report.table("homework").deleted) == (0, 0)
    assert report.table("marks").inserted == 4


def test_a_misspelt_header_is_named_with_its_column(tmp_path: Path) -> None:
    """«нет обязательного столбца: student_id» left the admin to find the typo among the headers."""
    bundle = write_bundle(tmp_path / "b", school())
    text = (bundle / "marks.csv").read_text(encoding="utf-8")
    (bundle / "marks.csv").write_text(text.replace("student_id", "studnet_id", 1), encoding="utf-8")
    with pytest.raises(BundleRefused) as e:
        load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert str(e.value) == ("marks.csv, строка 1: нет обязательного столбца: student_id (или «Ученик»); в заголовке "
                            "есть «studnet_id» (столбец 2) — опечатка в student_id?")


def test_a_missing_column_without_a_look_alike_header_says_only_what_is_missing(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school())
    (bundle / "marks.csv").write_text("id;Примечание;lesson_id;value\nK1;x;L1;5\n", encoding="utf-8")
    with pytest.raises(BundleRefused) as e:
        load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert str(e.value) == "marks.csv, строка 1: нет обязательного столбца: student_id (или «Ученик»)"
