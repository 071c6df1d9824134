"""A tiny school written as a bundle in any dialect the loader accepts (tests build every input in code).

Values are kept in ISO form here; `write_bundle` renders dates the way a school would
(dd.mm.yyyy, dd.mm.yy or ISO) and decimals with a comma or a point.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from etl.bundle_spec import TABLES_BY_NAME
from etl.warehouse import connect_readonly

ROOT = Path(__file__).resolve().parents[1]
Rows = list[dict[str, Any]]
# What a rejected mark cell says may be written instead (etl/sql/parse_mark.sql: zv_mark_reason).
MARK_FORMS = "допустимы 1–5 (можно с «+» или «-»), н/а, зач, незач, осв, «*» или пустая ячейка (docs/data-format.md)"


def school() -> dict[str, Rows]:
    """One school, two groups (a class and its subgroup), three lessons, marks, attendance, homework."""
    return {
        "schools": [{"id": "S1", "name": "Школа № 1", "timezone": "Asia/Yekaterinburg"}],
        "academic_years": [{"id": "Y1", "school_id": "S1", "name": "2025/2026", "start_date": "2025-09-01", "end_date": "2026-05-31"}],
        "people": [
            {"id": "T1", "school_id": "S1", "role": "teacher", "last_name": "Иванова", "first_name": "Анна"},
            {"id": "P1", "school_id": "S1", "role": "student", "last_name": "Петров", "first_name": "Пётр"},
            {"id": "P2", "school_id": "S1", "role": "student", "last_name": "Сидорова", "first_name": "Ева"},
            {"id": "P3", "school_id": "S1", "role": "student", "last_name": "Ким", "first_name": "Олег"},
        ],
        "subjects": [{"id": "MATH", "school_id": "S1", "name": "Математика"}],
        "groups": [
            {"id": "G5A", "school_id": "S1", "academic_year_id": "Y1", "name": "5А", "kind": "class", "grade": "5"},
            {"id": "G5A1", "school_id": "S1", "academic_year_id": "Y1", "name": "5А гр. 1", "kind": "subgroup",
             "grade": "5", "parent_group_id": "G5A"},
        ],
        "memberships": [
            {"id": "M1", "group_id": "G5A", "student_id": "P1", "valid_from": "2025-09-01"},
            {"id": "M2", "group_id": "G5A", "student_id": "P2", "valid_from": "2025-09-01", "valid_to": "2025-09-02"},
            {"id": "M3", "group_id": "G5A1", "student_id": "P3", "valid_from": "2025-09-01"},
        ],
        "work_types": [
            {"id": "W1", "school_id": "S1", "name": "Ответ на уроке", "weight": "1"},
            {"id": "W2", "school_id": "S1", "name": "Контрольная работа", "weight": "2.5", "is_control": "да"},
        ],
        "lessons": [
            {"id": "L1", "group_id": "G5A", "subject_id": "MATH", "lesson_date": "2025-09-02", "lesson_number": "1",
             "actual_teacher_id": "T1", "topic": "Натуральные числа", "topic_entered_at": "2025-09-02 10:15"},
            {"id": "L2", "group_id": "G5A", "subject_id": "MATH", "lesson_date": "2025-09-03", "lesson_number": "2",
             "actual_teacher_id": "T1", "topic": "Сложение", "topic_entered_at": "2025-09-03 11:00:05"},
            {"id": "L3", "group_id": "G5A1", "subject_id": "MATH", "lesson_date": "2025-09-04", "lesson_number": "3",
             "actual_teacher_id": "T1", "status": "held"},
        ],
        "marks": [
            {"id": "K1", "student_id": "P1", "lesson_id": "L1", "value": "5", "work_type_id": "W1",
             "entered_at": "2025-09-02 12:00"},
            {"id": "K2", "student_id": "P1", "lesson_id": "L2", "value": "4-", "work_type_id": "W2",
             "entered_at": "2025-09-03 18:30:15"},
            {"id": "K3", "student_id": "P3", "lesson_id": "L1", "value": "3", "weight": "1.5", "entered_at": "2025-09-05"},
            {"id": "K4", "student_id": "P1", "lesson_id": "L3", "value": "н/а"},
        ],
        "attendance": [{"id": "A1", "student_id": "P1", "lesson_id": "L2", "code": "б", "recorded_at": "2025-09-03 08:05"}],
        "homework": [{"id": "H1", "lesson_id": "L1", "text": "№ 12, 14", "due_date": "2025-09-03", "duration_minutes": "20"}],
    }


def render(value: Any, kind: str, dates: str, decimal_comma: bool) -> str:
    """A cell as a school would type it: dates in style 'dmy' (dd.mm.yyyy), 'dmy2' (dd.mm.yy) or 'iso'."""
    if value is None:
        return ""
    text = str(value)
    if kind in ("date", "timestamp") and dates != "iso":
        d = date.fromisoformat(text[:10])
        rest = text[10:]
        text = d.strftime("%d.%m.%Y" if dates == "dmy" else "%d.%m.%y") + rest
    if kind == "decimal" and decimal_comma:
        text = text.replace(".", ",")
    return text


def _header(table: str, column: str, russian: bool) -> str:
    col = TABLES_BY_NAME[table].column(column)
    return col.aliases[0] if russian and col.aliases else column


def table_frame(table: str, rows: Rows, *, dates: str = "iso", decimal_comma: bool = False, russian: bool = False) -> tuple[list[str], list[list[str]]]:
    spec = TABLES_BY_NAME[table]
    columns = [c for c in spec.columns if any(c.name in r for r in rows)] or [c for c in spec.columns if c.required]
    header = [_header(table, c.name, russian) for c in columns]
    body = [[render(r.get(c.name), c.type, dates, decimal_comma) for c in columns] for r in rows]
    return header, body


def write_bundle(
    folder: Path,
    data: dict[str, Rows],
    *,
    fmt: str = "csv",
    encoding: str = "utf-8",
    delimiter: str = ";",
    dates: str = "iso",
    decimal_comma: bool = False,
    russian: bool = False,
    manifest: str | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in data.items():
        header, body = table_frame(table, rows, dates=dates, decimal_comma=decimal_comma, russian=russian)
        if fmt == "csv":
            buf = io.StringIO()
            w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(body)
            (folder / f"{table}.csv").write_bytes(buf.getvalue().encode(encoding))
        elif fmt == "xlsx":
            wb = xlsxwriter.Workbook(folder / f"{table}.xlsx")
            ws = wb.add_worksheet()
            ws.write_row(0, 0, header)
            for i, row in enumerate(body, start=1):
                ws.write_row(i, 0, row)
            wb.close()
        elif fmt == "parquet":
            pl.DataFrame(body, schema=header, orient="row").write_parquet(folder / f"{table}.parquet")
        elif fmt == "jsonl":
            lines = [json.dumps({h: v for h, v in zip(header, row) if v != ""}, ensure_ascii=False) for row in body]
            (folder / f"{table}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            raise ValueError(fmt)
    if manifest is not None:
        (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folder


def zip_bundle(bundle: Path, archive: Path, inside: str = "") -> Path:
    """The bundle's files zipped as a school would, under the folder `inside` of the archive ("" = at its root)."""
    with zipfile.ZipFile(archive, "w") as z:
        for p in bundle.iterdir():
            z.write(p, f"{inside}/{p.name}" if inside else p.name)
    return archive


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def query(db: Path, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    con = connect_readonly(db)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def run_loader_subprocess(bundle: Path, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`load_bundle` in a child process (for kill -9 and concurrency tests)."""
    code = (
        "import sys; from pathlib import Path; from etl.loader import load_bundle, BundleRefused\n"
        "try:\n    r = load_bundle(Path(sys.argv[1]), Path(sys.argv[2])); print(r.status, r.batch_id)\n"
        "except BundleRefused as e:\n    print('REFUSED', e); sys.exit(2)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(bundle), str(db)],
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


T0 = datetime(2025, 9, 6, 20, 0, 0)
