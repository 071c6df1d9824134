"""Every input dialect a school may hand in loads to the same warehouse content."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from etl.loader import BundleRefused, load_bundle
from tests.load_fixtures import T0, query, school, write_bundle, zip_bundle

EXPECTED_MARKS = [
    # id, value_raw, value_num, kind, modifier, weight, entered_at, precision, school, group, subject, lesson_date
    ("K1", "5", Decimal("5.00"), "grade", None, Decimal("1.00"), datetime(2025, 9, 2, 12, 0), "minute", "S1", "G5A", "MATH", date(2025, 9, 2)),
    ("K2", "4-", Decimal("4.00"), "grade", "-", Decimal("2.50"), datetime(2025, 9, 3, 18, 30, 15), "second", "S1", "G5A", "MATH", date(2025, 9, 3)),
    ("K3", "3", Decimal("3.00"), "grade", None, Decimal("1.50"), datetime(2025, 9, 5), "date", "S1", "G5A", "MATH", date(2025, 9, 2)),
    ("K4", "н/а", None, "not_attested", None, Decimal("1.00"), None, None, "S1", "G5A1", "MATH", date(2025, 9, 4)),
]


def assert_school_loaded(db: Path) -> None:
    assert query(db, "SELECT count(*) FROM rejected_rows") == [(0,)]
    marks = query(
        db,
        "SELECT id, value_raw, value_num, value_kind, value_modifier, weight, entered_at, entered_at_precision, "
        "school_id, group_id, subject_id, lesson_date FROM marks ORDER BY id",
    )
    assert marks == EXPECTED_MARKS
    assert query(db, "SELECT id, school_id, topic_entered_at, topic_entered_at_precision, status FROM lessons ORDER BY id") == [
        ("L1", "S1", datetime(2025, 9, 2, 10, 15), "minute", "held"),
        ("L2", "S1", datetime(2025, 9, 3, 11, 0, 5), "second", "held"),
        ("L3", "S1", None, None, "held"),
    ]
    assert query(db, "SELECT id, status, raw_code, lesson_date, recorded_at_precision FROM attendance") == [
        ("A1", "absent_illness", "б", date(2025, 9, 3), "minute")
    ]
    assert query(db, "SELECT weight, is_control FROM work_types ORDER BY id") == [(Decimal("1.00"), False), (Decimal("2.50"), True)]
    assert query(db, "SELECT start_date, end_date FROM academic_years") == [(date(2025, 9, 1), date(2026, 5, 31))]
    assert query(db, "SELECT valid_to FROM memberships ORDER BY id") == [(None,), (date(2025, 9, 2),), (None,)]
    assert query(db, "SELECT due_date, duration_minutes, school_id FROM homework") == [(date(2025, 9, 3), 20, "S1")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    bundle = write_bundle(tmp_path / "b", school(), encoding=encoding, delimiter=delimiter, dates="dmy", decimal_comma=True)
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert report.status == "loaded"
    assert_school_loaded(tmp_path / "w.duckdb")
    # people.csv has Cyrillic; an all-ASCII file (academic_years has none) is plain UTF-8 in any encoding.
    files = {t: (e, d) for t, e, d in query(tmp_path / "w.duckdb", "SELECT table_name, encoding, delimiter FROM import_files")}
    assert files["people"] == (encoding, delimiter)
    assert files["academic_years"] == ("utf-8-sig" if encoding == "utf-8-sig" else "utf-8", delimiter)


@pytest.mark.parametrize("dates", ["dmy", "dmy2", "iso"])
def test_date_styles(tmp_path: Path, dates: str) -> None:
    bundle = write_bundle(tmp_path / "b", school(), dates=dates)
    load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")


@pytest.mark.parametrize("fmt", ["xlsx", "parquet", "jsonl"])
def test_other_file_formats(tmp_path: Path, fmt: str) -> None:
    bundle = write_bundle(tmp_path / "b", school(), fmt=fmt, dates="dmy", decimal_comma=fmt == "xlsx")
    load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "SELECT DISTINCT file_format FROM import_files") == [(fmt,)]


def test_xlsx_real_date_cells(tmp_path: Path) -> None:
    """Excel date and date-time cells (not text) keep their precision: date vs second."""
    import xlsxwriter

    data = school()
    bundle = write_bundle(tmp_path / "b", {k: v for k, v in data.items() if k != "marks"})
    wb = xlsxwriter.Workbook(bundle / "отметки.xlsx")
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Ид", "Ученик", "Урок", "Отметка", "Дата выставления"])
    ws.write_row(1, 0, ["K1", "P1", "L1", "5"])
    ws.write_datetime(1, 4, datetime(2025, 9, 2, 12, 0, 30), wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"}))
    ws.write_row(2, 0, ["K2", "P1", "L2", 4])
    ws.write_datetime(2, 4, datetime(2025, 9, 3), wb.add_format({"num_format": "dd.mm.yyyy"}))
    wb.close()
    load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert query(tmp_path / "w.duckdb", "SELECT id, value_raw, entered_at, entered_at_precision FROM marks ORDER BY id") == [
        ("K1", "5", datetime(2025, 9, 2, 12, 0, 30), "second"),
        ("K2", "4", datetime(2025, 9, 3), "date"),
    ]


def test_russian_headers_and_file_names(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school(), russian=True, dates="dmy")
    (bundle / "marks.csv").rename(bundle / "Отметки.csv")
    (bundle / "lessons.csv").rename(bundle / "уроки.csv")
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")
    assert report.table("marks").file_name == "Отметки.csv"


def test_headers_are_trimmed_and_case_insensitive(tmp_path: Path) -> None:
    data = school()
    bundle = write_bundle(tmp_path / "b", {k: v for k, v in data.items() if k != "attendance"})
    (bundle / "attendance.csv").write_text(
        "  ИД ; УЧЕНИК;урок ;Отметка посещаемости;Отмечено; Примечание учителя\nA1;P1;L2; б ;03.09.2025 08:05;лишний столбец\n",
        encoding="utf-8",
    )
    report = load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")
    assert report.table("attendance").ignored_columns == ("Примечание учителя",)
    assert "attendance.csv: не использованы столбцы «Примечание учителя»" in report.summary()


# A zipped folder, and a zip of the folder the ЭЖ export landed in (that one was refused as holding no table).
@pytest.mark.parametrize("inside", ["export", "Выгрузка/2025-2026"])
def test_zip_bundle_with_top_folder(tmp_path: Path, inside: str) -> None:
    bundle = write_bundle(tmp_path / "export", school())
    archive = zip_bundle(bundle, tmp_path / "export.zip", inside)
    load_bundle(archive, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")
    assert not list(tmp_path.glob(".w.duckdb.loading*")), "work folder removed after the load"


class _UnflaggedName(zipfile.ZipInfo):
    """A member whose name is written in `codec` without the UTF-8 flag, as Windows Explorer (CP866) and
    many Linux and macOS archivers (UTF-8) write Russian names."""

    codec = "cp866"

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own (private) name
        return self.filename.encode(self.codec), self.flag_bits & ~0x800


@pytest.mark.parametrize("codec", ["cp866", "utf-8"])
def test_zip_with_russian_names_without_the_utf8_flag(tmp_path: Path, codec: str) -> None:
    """«Отметки.csv» zipped by Windows («Сжатая ZIP-папка») was read as «ÄΓ¡ÑΓ¬¿.csv» and the bundle refused
    as holding an unknown table."""
    bundle = write_bundle(tmp_path / "export", school())
    (bundle / "marks.csv").rename(bundle / "Отметки.csv")
    archive = tmp_path / "выгрузка.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in bundle.iterdir():
            info = _UnflaggedName(f"Выгрузка/{p.name}")
            info.codec = codec
            z.writestr(info, p.read_bytes())
    load_bundle(archive, tmp_path / "w.duckdb", now=T0)
    assert_school_loaded(tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "SELECT file_name FROM import_files WHERE table_name = 'marks'") == [
        ("Отметки.csv",)]


def test_a_refused_member_names_its_archive_and_folder(tmp_path: Path) -> None:
    """«оценки_за_четверть.csv: неизвестная таблица» named neither the archive nor the folder in it."""
    bundle = write_bundle(tmp_path / "export", school())
    (bundle / "оценки_за_четверть.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    archive = zip_bundle(bundle, tmp_path / "выгрузка.zip", "Выгрузка/2025")
    with pytest.raises(BundleRefused) as refused:
        load_bundle(archive, tmp_path / "w.duckdb", now=T0)
    assert str(refused.value).startswith(
        f"{archive}: Выгрузка/2025/оценки_за_четверть.csv: неизвестная таблица «оценки_за_четверть»")
    assert not (tmp_path / "w.duckdb").exists()


def test_manifest_source_system_and_ignored_ground_truth(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school(), manifest='source_system = "demo"\nmode = "snapshot"\nseed = 7\n')
    (bundle / "ground_truth.csv").write_text("kind,school_id\ntopic_missing,S1\n", encoding="utf-8")
    load_bundle(bundle, tmp_path / "w.duckdb", now=T0)
    assert query(tmp_path / "w.duckdb", "SELECT DISTINCT source_system FROM marks") == [("demo",)]
    assert query(tmp_path / "w.duckdb", "SELECT source_system, mode, status FROM import_batches") == [("demo", "snapshot", "loaded")]


def test_warehouse_info(tmp_path: Path) -> None:
    load_bundle(write_bundle(tmp_path / "b", school()), tmp_path / "w.duckdb", now=T0)
    info = dict(query(tmp_path / "w.duckdb", "SELECT key, value FROM warehouse_info"))
    assert info["created_at"] == "2025-09-06 20:00:00"
    assert len(info["schema_version"]) == 12
