"""`zavuch demo --out FOLDER` never writes its fictional marks.csv, people.csv, … over a school's own files:
a folder that is not empty and holds no earlier demo bundle is refused (exit 2) with every file intact."""

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
