"""A document's format follows the file it is written to: `--out справка.docx` without --format writes
a Word file (it used to write a PDF under the .docx name, which Word refuses to open); a --format that
contradicts the file's extension is refused with exit code 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.metrics_fixtures import D, school

PDF, DOCX = b"%PDF-", b"PK\x03\x04"


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.lesson("5a", "math", D(2025, 9, 8), topic=None)
    s.con.close()
    return path


def _run(warehouse: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--period", "p1", "--date", "2026-02-01", "--db", str(warehouse)])


@pytest.mark.parametrize(("command", "name", "magic"), [
    ("spravka", "справка.docx", DOCX), ("spravka", "справка.PDF", PDF), ("spravka", "справка", PDF),
    ("prikaz", "приказ.pdf", PDF), ("prikaz", "приказ.docx", DOCX), ("prikaz", "приказ", DOCX),
    ("vedomost", "ведомость.docx", DOCX),
])
def test_format_follows_the_extension(warehouse: Path, tmp_path: Path, command: str, name: str, magic: bytes) -> None:
    out = tmp_path / name
    r = _run(warehouse, command, "--out", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:len(magic)] == magic


def test_contradicting_format_refused(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "справка.docx"
    r = _run(warehouse, "spravka", "--out", str(out), "--format", "pdf")
    assert r.exit_code == 2
    assert "--out справка.docx: расширение .docx не подходит для --format pdf" in r.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["wh.duckdb"]
