"""A first load reads a clean CSV file once; any irregularity takes the exact path, with the same result.

A table loaded for the first time inserts its clean rows from one unnumbered read and counts them
against the file's data lines. Rejected cells, repeated ids, blank or multi-line rows and a missing
final newline make the counts differ (or the ids repeat), and the file is then read again to count,
number and report its rows. These tests pin both halves: which files are read once, and that the
result of the two-pass case equals that of the exact path forced on every file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import etl.loader
from etl.bundle import open_bundle
from etl.loader import load_bundle
from etl.merge import sql_file
from tests.load_fixtures import T0, query, school, write_bundle, write_csv

MARK_HEADER = ["id", "student_id", "lesson_id", "value", "comment", "entered_at"]
CLEAN_MARKS = [
    ["K1", "P1", "L1", "5", "", "2025-09-02 12:00"],
    ["K2", "P1", "L2", "4-", "", "2025-09-03 18:30:15"],
    ["K3", "P3", "L1", "3", "", "2025-09-05"],
]
# Every table the warehouse fills, with the columns that may differ between two loads at the same `now`.
COMPARED = {
    "import_batches": "EXCLUDE (finished_at)",
    "import_files": "",
    "rejected_rows": "",
    "lessons": "",
    "marks": "",
    "attendance": "",
    "homework": "",
    "memberships": "",
}


def _bundle(tmp_path: Path, marks: list[list[str]], *, tail: bytes = b"") -> Path:
    data = school()
    data.pop("marks")
    bundle = write_bundle(tmp_path / "b", data)
    path = write_csv(bundle / "marks.csv", MARK_HEADER, marks, delimiter=",")
    if tail:
        path.write_bytes(path.read_bytes() + tail)
    return bundle


def _count_exact_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the tables whose file is read again by the exact path (count_ids)."""
    seen: list[str] = []
    real = etl.loader.count_ids

    def spy(con: Any, staged: Any) -> int:
        seen.append(staged.file.table.name)
        return real(con, staged)

    monkeypatch.setattr(etl.loader, "count_ids", spy)
    return seen


def _snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {t: query(db, f"SELECT * {excl} FROM {t} ORDER BY ALL") for t, excl in COMPARED.items()}


def test_clean_csv_files_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = _count_exact_reads(monkeypatch)
    db = tmp_path / "w.duckdb"
    report = load_bundle(_bundle(tmp_path, CLEAN_MARKS), db, now=T0)
    assert exact == []
    assert (report.table("marks").read, report.table("marks").inserted, report.rows_rejected) == (3, 3, 0)
    assert query(db, "SELECT id, value_num, value_modifier, entered_at_precision FROM marks ORDER BY id") == [
        ("K1", 5, None, "minute"),
        ("K2", 4, "-", "second"),
        ("K3", 3, None, "date"),
    ]


@pytest.mark.parametrize(
    ("marks", "tail", "rejects", "loaded"),
    [
        pytest.param(
            [*CLEAN_MARKS, ["K4", "P1", "L2", "4", "", "31.02.2025 10:00"]], b"",
            [(5, "entered_at", "31.02.2025 10:00")], ["K1", "K2", "K3"], id="one-bad-date-cell",
        ),
        pytest.param(
            [["K1", "P1", "L1", "5", "", "bad"], ["K1", "P1", "L2", "4", "", ""], *CLEAN_MARKS[1:]], b"",
            [(2, "entered_at", "bad"), (3, "id", "K1")], ["K2", "K3"], id="repeated-id-first-one-bad",
        ),
        pytest.param(
            [*CLEAN_MARKS, ["K1", "P3", "L1", "2", "", ""]], b"",
            [(5, "id", "K1")], ["K1", "K2", "K3"], id="repeated-id-both-clean",
        ),
        pytest.param(
            [*CLEAN_MARKS, ["K4", "P1", "L9", "4", "", ""]], b"",
            [(5, "lesson_id", "L9")], ["K1", "K2", "K3"], id="unknown-lesson",
        ),
        pytest.param(
            [*CLEAN_MARKS[:1], ["K4", "P1", "L2", "4", "две\nстроки", ""], *CLEAN_MARKS[1:]], b"",
            [], ["K1", "K2", "K3", "K4"], id="multi-line-cell",
        ),
        pytest.param(
            CLEAN_MARKS, b"\n,,,,,\nK4,P1,L2,4,,", [], ["K1", "K2", "K3", "K4"],
            id="blank-lines-no-final-newline",
        ),
    ],
)
def test_irregular_file_gives_the_exact_paths_result(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    marks: list[list[str]],
    tail: bytes,
    rejects: list[tuple[int, str, str]],
    loaded: list[str],
) -> None:
    bundle = _bundle(tmp_path, marks, tail=tail)
    exact = _count_exact_reads(monkeypatch)
    db = tmp_path / "w.duckdb"
    load_bundle(bundle, db, now=T0)
    assert exact == ["marks"]  # only the irregular file is read again
    reported = query(db, "SELECT line, column_name, value FROM rejected_rows ORDER BY line, column_name")
    assert reported == rejects
    assert [r[0] for r in query(db, "SELECT id FROM marks ORDER BY id")] == loaded

    # The same bundle with every file forced down the exact path gives the same warehouse.
    monkeypatch.setattr(etl.loader, "may_repeat_ids", lambda con, table: True)
    forced = tmp_path / "forced.duckdb"
    load_bundle(bundle, forced, now=T0)
    assert _snapshot(db) == _snapshot(forced)


@pytest.mark.parametrize(("content", "lines", "data_lines"), [
    (b"id\nK1\nK2\n", 3, 2),
    (b"id\nK1\nK2", 2, 2),
    (b"id\n", 1, 0),
    (b"id", 0, 0),
])
def test_data_lines_count_a_last_line_without_newline(
    tmp_path: Path, content: bytes, lines: int, data_lines: int
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "marks.csv").write_bytes(content)
    f = open_bundle(tmp_path / "b", tmp_path / "unpacked").files[0]
    assert (f.lines, f.data_lines) == (lines, data_lines)


def test_plain_grades_parse_as_through_the_key() -> None:
    con = duckdb.connect()
    con.execute(sql_file("parse_mark.sql"))
    rows = con.execute(
        "SELECT v, zv_mark_kind(v), CAST(zv_mark_num(v) AS INTEGER), zv_mark_modifier(v) "
        "FROM unnest(['4', '4-', '5+', ' 5+ ', '5.', '6', '45', 'Н/А', '']) t(v) ORDER BY v"
    ).fetchall()
    assert rows == [
        ("", "placeholder", None, None),
        (" 5+ ", "grade", 5, "+"),
        ("4", "grade", 4, None),
        ("4-", "grade", 4, "-"),
        ("45", None, None, None),
        ("5+", "grade", 5, "+"),
        ("5.", "grade", 5, None),
        ("6", None, None, None),
        ("Н/А", "not_attested", None, None),
    ]
