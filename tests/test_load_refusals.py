"""Unusable input is refused with a plain message and nothing is written: the warehouse stays byte-identical."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from etl.loader import BundleRefused, load_bundle
from tests.load_fixtures import T0, school, write_bundle

LATER = T0.replace(hour=21)


def _digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _bad_bundles(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (bundle, fragment the refusal message must contain)."""
    out: dict[str, tuple[Path, str]] = {}

    def case(name: str, fragment: str, edit) -> None:
        b = write_bundle(tmp / name, school())
        edit(b)
        out[name] = (b, fragment)

    case("unknown_table", "неизвестная таблица «оценки_за_четверть»",
         lambda b: (b / "оценки_за_четверть.csv").write_text("a;b\n1;2\n", encoding="utf-8"))
    case("missing_column", "marks.csv, строка 1: нет обязательного столбца: lesson_id",
         lambda b: (b / "marks.csv").write_text("id;student_id;value\nK1;P1;5\n", encoding="utf-8"))
    case("duplicate_column", "столбцы «Отметка» и «value» оба означают value",
         lambda b: (b / "marks.csv").write_text("id;student_id;lesson_id;Отметка;value\nK1;P1;L1;5;5\n", encoding="utf-8"))
    case("empty_file", "marks.csv: файл пуст", lambda b: (b / "marks.csv").write_bytes(b""))
    case("ragged_csv", "marks.csv, строка 3: файл не читается: в строке больше ячеек, чем в заголовке (4)",
         lambda b: (b / "marks.csv").write_text("id;student_id;lesson_id;value\nK1;P1;L1;5\nK2;P1;L1;4;лишнее;ещё\n", encoding="utf-8"))
    case("corrupt_xlsx", "отметки.xlsx: файл Excel не читается",
         lambda b: ((b / "marks.csv").unlink(), (b / "отметки.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")))
    case("corrupt_parquet", "marks.parquet: файл Parquet не читается",
         lambda b: ((b / "marks.csv").unlink(), (b / "marks.parquet").write_bytes(b"PAR1garbage")))
    case("xls", "формат «.xls» не поддерживается",
         lambda b: (b / "marks.xls").write_bytes(b"\xd0\xcf\x11\xe0"))
    case("two_files_one_table", "два файла для одной таблицы marks",
         lambda b: (b / "отметки.csv").write_text("id;student_id;lesson_id;value\n", encoding="utf-8"))
    case("bad_manifest_mode", "mode = «full»", lambda b: (b / "manifest.toml").write_text('mode = "full"\n', encoding="utf-8"))
    case("bad_manifest_system", "source_system = «excel» не поддерживается",
         lambda b: (b / "manifest.toml").write_text('source_system = "excel"\n', encoding="utf-8"))
    case("broken_manifest", "manifest.toml: файл не читается как TOML: строка 1, столбец 8: значение записано не по "
                            "правилам TOML",
         lambda b: (b / "manifest.toml").write_text("mode = snapshot\n", encoding="utf-8"))
    out["not_a_bundle"] = (write_bundle(tmp / "x", school()) / "marks.csv", "это не пакет данных")
    out["missing_path"] = (tmp / "nowhere", "нет такой папки или файла")
    bad_zip = tmp / "broken.zip"
    bad_zip.write_bytes(b"PK\x05\x06 truncated")
    out["broken_zip"] = (bad_zip, "архив повреждён или не читается")
    bomb = tmp / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("marks.csv", "id;student_id;lesson_id;value\n" + "0" * 50_000_000)
    out["zip_bomb"] = (bomb, "защита от «zip-бомб»")
    empty = tmp / "empty"
    empty.mkdir()
    out["empty_folder"] = (empty, "в пакете нет ни одного файла таблицы")
    return out


CASES = [
    "unknown_table", "missing_column", "duplicate_column", "empty_file", "ragged_csv", "corrupt_xlsx",
    "corrupt_parquet", "xls", "two_files_one_table", "bad_manifest_mode", "bad_manifest_system",
    "broken_manifest", "not_a_bundle", "missing_path", "broken_zip", "zip_bomb", "empty_folder",
]


@pytest.mark.parametrize("name", CASES)
def test_refused_into_existing_warehouse_changes_nothing(tmp_path: Path, name: str) -> None:
    db_dir = tmp_path / "data"
    db = db_dir / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "good", school()), db, now=T0)
    before, files_before = _digest(db), _listing(db_dir)
    bundle, fragment = _bad_bundles(tmp_path)[name]
    with pytest.raises(BundleRefused) as e:
        load_bundle(bundle, db, now=LATER)
    assert fragment in str(e.value)
    assert _digest(db) == before
    assert _listing(db_dir) == files_before == ["w.duckdb"]


@pytest.mark.parametrize("name", ["missing_column", "ragged_csv", "broken_zip"])
def test_refused_first_load_leaves_no_file(tmp_path: Path, name: str) -> None:
    bundle, _ = _bad_bundles(tmp_path)[name]
    db = tmp_path / "data" / "w.duckdb"
    with pytest.raises(BundleRefused):
        load_bundle(bundle, db, now=T0)
    assert not (tmp_path / "data").exists()


def test_clock_going_back_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "a", school()), db, now=T0)
    data = school()
    data["marks"][0]["value"] = "4"
    with pytest.raises(BundleRefused, match="проверьте часы компьютера"):
        load_bundle(write_bundle(tmp_path / "b", data), db, now=T0)
