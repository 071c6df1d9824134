"""The forecast letter to parents (reports.forecast_letter, `zavuch pismo`) on the demo school: one page per
student, each page's table read back from the PDF equals that student's forecast rows, the marks listed
are the marks the forecast counted, byte-identical output, and refusals without a file."""

from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from cli.main import app
from etl.norms import load_norms
from etl.rounding import half_up, half_up_column
from etl.warehouse import connect_readonly
from queries import deck
from queries.forecast import at_risk, marks_so_far, student_forecasts
from queries.scope import Scope
from reports import forecast_letter, render_pdf

D = dt.date(2026, 3, 10)  # semester 2 of grades 2–9, ~40 % in
CLASS = "s001-g034"  # 5Б: one pupil at risk at D (5А has none since a pupil's own shortfall of marks is «н/а»
# only once the course's pace cannot make it up)


@pytest.fixture(scope="module")
def letter(demo_school):
    con = connect_readonly(demo_school.db)
    try:
        rows = student_forecasts(con, Scope(group_id=CLASS), D, load_norms())
        marks = marks_so_far(con, rows["period_id"][0], rows["student_id"].unique().to_list(), D)
        pdf = render_pdf(forecast_letter.build(con, CLASS, D, load_norms()))
        names = dict(con.execute("SELECT id, trim(last_name || ' ' || first_name || ' ' || coalesce(middle_name, '')) "
                                 "FROM people WHERE role = 'student'").fetchall())
    finally:
        con.close()
    return rows, marks, pdf, names


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _decimal(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _percent(p: float) -> str:
    whole = int(half_up(p, 0, 100))  # the deck's rule (etl.rounding): a risk of 0.125 is «13 %» on both
    if whole < 1:
        return "менее 1 %"
    return f"{whole} %" if whole < 100 else "более 99 %"


def _page_of(reader: PdfReader, full_name: str) -> str:
    head = re.compile(f"Учени(к|ца): {re.escape(full_name)}, 5Б класс")
    found = [_flat(p.extract_text()) for p in reader.pages if head.search(_flat(p.extract_text()))]
    assert len(found) == 1, f"{full_name}: {len(found)} pages"
    return found[0]


def test_one_page_per_student_in_name_order(letter) -> None:
    rows, _, pdf, names = letter
    reader = PdfReader(io.BytesIO(pdf))
    students = rows["student_id"].unique().to_list()
    assert len(reader.pages) == len(students) == 25
    on_pages = [re.search(r"Учени(?:к|ца): (.+?), 5Б класс", _flat(p.extract_text())).group(1) for p in reader.pages]
    assert on_pages == sorted(names[s] for s in students)


def test_marks_listed_are_those_the_forecast_counted(letter) -> None:
    rows, marks, _, _ = letter
    per = marks.group_by("student_id", "subject_id").agg(
        pl.len().alias("listed"), ((pl.col("value_num") * pl.col("weight")).sum() / pl.col("weight").sum()).alias("w"))
    joined = rows.join(per, on=["student_id", "subject_id"], how="left")
    assert joined.filter(pl.col("n_marks") > 0).height > 250
    assert (joined["listed"].fill_null(0) == joined["n_marks"]).all()
    with_marks = joined.filter(pl.col("n_marks") > 0)
    # rounded half up as the school rounds (etl.rounding), not polars' half to even
    assert ((with_marks.select(half_up_column(pl.col("w"), 2)).to_series() - with_marks["weighted_avg"]).abs()
            < 1e-9).all()


def test_page_table_equals_forecast_rows_for_two_students(letter, demo_school) -> None:
    rows, marks, pdf, names = letter
    con = connect_readonly(demo_school.db)
    try:
        short = dict(deck.lookups(con).people.select("id", "short_name").iter_rows())
    finally:
        con.close()
    reader = PdfReader(io.BytesIO(pdf))
    risky = at_risk(rows)
    assert risky.height >= 1  # the demo class has a student at risk at D: the warning line is checked below
    first = sorted(rows["student_id"].unique().to_list(), key=names.get)[0]
    for student in (first, risky["student_id"][0]):
        page = _page_of(reader, names[student])
        mine = rows.filter(pl.col("student_id") == student).sort("subject_name")
        lines = []
        for r in mine.iter_rows(named=True):
            listed = marks.filter((pl.col("student_id") == student) & (pl.col("subject_id") == r["subject_id"]))
            lines.append(" ".join([
                r["subject_name"], " ".join(listed["value_raw"]) or "нет",
                _decimal(r["avg_mark"]) if r["avg_mark"] is not None else "—",
                _decimal(r["weighted_avg"]) if r["weighted_avg"] is not None else "—",
                r["forecast_mark"], _percent(r["risk"]), r["reasons"], r["needs"] or "—"]))
        assert " ".join(lines) in page, student
        warned = at_risk(mine)
        if warned.height:
            listed = ", ".join(f"{r['subject_name']} ({_percent(r['risk'])}, учитель {short[r['teacher_id']]})"
                               for r in warned.iter_rows(named=True))
            assert f"есть риск отметки «2» или «н/а» за период по предметам: {listed}." in page
            assert "2 семестр заканчивается 29 мая 2026 г." in page
        else:
            assert "Ни по одному предмету риск отметки «2» или «н/а» за период не достигает 50 %." in page
    # the at-risk student's riskiest subject is the one at the top of the at-risk list
    top = risky.row(0, named=True)
    assert f"{top['subject_name']} ({_percent(top['risk'])}," in _page_of(reader, names[top["student_id"]])


def test_cli_writes_identical_bytes_and_refuses_bad_input(demo_school, tmp_path, letter) -> None:
    runner = CliRunner()
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for out in outs:
        result = runner.invoke(app, ["pismo", "--class", CLASS, "--as-of", D.isoformat(), "--out", str(out),
                                     "--db", str(demo_school.db)])
        assert result.exit_code == 0, result.output
    assert outs[0].read_bytes() == outs[1].read_bytes() == letter[2]
    bad = [(["--class", "нет-такого", "--as-of", D.isoformat()], "класс «нет-такого» не найден"),
           (["--class", CLASS, "--as-of", "10.13.2026"], "--as-of: «10.13.2026» не дата"),
           (["--class", CLASS, "--as-of", "2026-07-15"], "нет отчётного периода")]
    for args, message in bad:
        out = tmp_path / "bad.pdf"
        result = runner.invoke(app, ["pismo", *args, "--out", str(out), "--db", str(demo_school.db)])
        assert result.exit_code == 2 and message in result.output, result.output
        assert not out.exists()
