"""`zavuch demo --out FOLDER` and `zavuch import --keep-bundle FOLDER` never write a bundle's marks.csv,
people.csv, … over a school's own files: a folder that is not empty (for the demo: and holds no earlier
demo bundle) is refused (exit 2) with every file intact."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def _demo(out: Path, db: Path):
    return CliRunner().invoke(app, ["demo", "--out", str(out), "--db", str(db), "--no-serve"])


def test_folder_with_the_schools_own_files_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    (out / "marks.csv").write_text("id;student_id;lesson_id;value\nK1;P1;L1;5\n", encoding="utf-8")
    r = _demo(out, tmp_path / "demo.duckdb")
    assert r.exit_code == 2
    assert "--out" in r.output and "папка не пуста и в ней не пакет демо-данных" in " ".join(r.output.split())
    assert [p.name for p in out.iterdir()] == ["marks.csv"]
    assert (out / "marks.csv").read_text(encoding="utf-8") == "id;student_id;lesson_id;value\nK1;P1;L1;5\n"
    assert not (tmp_path / "demo.duckdb").exists()


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    out.write_bytes(b"PK\x05\x06" + bytes(18))
    r = _demo(out, tmp_path / "demo.duckdb")
    assert r.exit_code == 2 and "это файл, а нужна папка" in r.output
    assert out.read_bytes() == b"PK\x05\x06" + bytes(18)


def test_import_keep_bundle_needs_a_new_folder(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "marks.csv").write_text("свой файл\n", encoding="utf-8")
    source = tmp_path / "responses.jsonl"
    source.write_text('{"path": "schools/1", "body": {}}\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["import", "dnevnik_ru", str(source), "--keep-bundle", str(kept),
                                 "--db", str(tmp_path / "w.duckdb")])
    assert r.exit_code == 2
    assert f"--keep-bundle {kept}: папка не пуста (или это файл); укажите новую папку" in r.output.replace("\n", " ")
    assert (kept / "marks.csv").read_text(encoding="utf-8") == "свой файл\n"
    assert [p.name for p in kept.iterdir()] == ["marks.csv"] and not (tmp_path / "w.duckdb").exists()
