"""`zavuch metrics`: listing, one metric in each format, and plain Russian errors with exit code 2."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from cli import metrics as metrics_cli
from tests.metrics_fixtures import D, school

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A group, so that `metrics` stays a subcommand."""

    metrics_cli.register(app)
    return app


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    s.lesson("5a", "math", D(2025, 9, 8), topic=None)
    late = s.lesson("5a", "math", D(2025, 9, 9))
    s.mark(late, "a1", "5", work_type="wt_test")  # control work: a1 marked, four others not
    s.con.close()
    return path


def invoke(*args: str):
    return runner.invoke(_app(), ["metrics", *args])


def test_lists_metrics():
    out = invoke()
    assert out.exit_code == 0 and "topic_missing" in out.output and "Уроки без темы" in out.output
    rows = json.loads(invoke("--format", "json").output)
    assert {"name", "title", "family", "clause", "basis", "description"} <= set(rows[0])
    basis = {r["name"]: r["basis"] for r in rows}
    assert basis["attendance_students"] == "п. 2.13"  # «2.13; domain-notes §4.2»: the notes are the developers'
    assert basis["two_in_a_row"] == "практика внутришкольного контроля"  # «domain-notes §1.3» only
    assert not any("domain-notes" in b for b in basis.values())
    # «п. data-formats §10.1» was shown as the ground of marks entered before their lesson
    assert basis["mark_entered_before_lesson"] == "практика внутришкольного контроля"
    assert not [b for b in basis.values() if re.search("[A-Za-z§]", b)]


def test_one_metric_as_json_csv_and_table(warehouse):
    common = ["--period", "p1", "--as-of", "2026-02-01", "--db", str(warehouse)]
    out = invoke("topic_missing", *common, "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["metric"] == "topic_missing" and len(data["rows"]) == 1
    assert data["rows"][0]["event_date"] == "2025-09-08"
    csv = invoke("control_work_incomplete", *common, "--format", "csv").output.splitlines()
    # for a spreadsheet, as the deck's «Скачать CSV»: names (the list too), «;», dd.mm.yyyy (ids and ISO: JSON)
    assert len(csv) == 2 and csv[1].endswith(";09.09.2025;5;1;4;Борисова И., Васильев И., Григорьева И., Дмитриев И.;4")
    table = invoke("topic_missing", "--from", "01.09.2025", "--to", "2025-09-30", "--class", "5a",
                   "--as-of", "2026-02-01", "--db", str(warehouse))
    assert table.exit_code == 0 and "Уроки без темы" in table.output and "1 строка" in table.output.replace("\u00a0", " ")



def test_json_counts_are_numbers_not_text(warehouse):
    """School days and homework minutes are sums; they were DuckDB HUGEINTs that JSON wrote as "0"."""
    common = ["--period", "p1", "--as-of", "2026-02-01", "--db", str(warehouse), "--format", "json"]
    lags = json.loads(invoke("mark_lag", *common).output)["rows"]
    assert len(lags) == 1 and lags[0]["school_days_min"] == 0 and lags[0]["school_days_max"] == 0
    delivery = json.loads(invoke("programme_delivery", *common).output)["rows"]
    assert delivery and all(isinstance(r["lessons_held"], int) for r in delivery)
    assert all(r["ktp_hours_planned"] is None or isinstance(r["ktp_hours_planned"], int) for r in delivery)


def test_json_text_writes_decimals_as_numbers():
    from decimal import Decimal

    from cli.common import json_text
    assert json.loads(json_text({"a": Decimal("4.25"), "b": Decimal("12"), "d": D(2025, 9, 1)})) == \
        {"a": 4.25, "b": 12, "d": "2025-09-01"}

def test_table_is_for_a_person_names_russian_headers_and_dates(warehouse, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    table = invoke("topic_missing", "--period", "p1", "--as-of", "2026-02-01", "--db", str(warehouse)).output
    assert "5А" in table and "Математика" in table and "Иванова" in table and "08.09.2025" in table
    assert "Дата" in table and "Предмет" in table
    assert "t_math" not in table and "2025-09-08" not in table  # ids and ISO dates are for json
    data = invoke("topic_missing", "--period", "p1", "--as-of", "2026-02-01", "--db", str(warehouse),
                  "--format", "json").output
    assert "t_math" in data and "2025-09-08" in data


@pytest.mark.parametrize("args, message", [
    (["nope", "--period", "p1"], "показатель «nope» не существует"),
    (["topic_missing", "--period", "zz"], "период «zz» не найден"),
    (["topic_missing", "--from", "31.02.2025", "--to", "2025-10-01"], "--from: «31.02.2025» не дата"),
    (["topic_missing", "--from", "2025-10-01"], "обе даты"),
    (["topic_missing", "--period", "p1", "--level", "1-3"], "уровень «1-3» не существует"),
])
def test_bad_input_is_a_message_and_exit_2(warehouse, args, message):
    out = invoke(*args, "--db", str(warehouse))
    assert out.exit_code == 2
    assert message in out.output and "Traceback" not in out.output


def test_missing_warehouse_and_bad_norms(tmp_path, warehouse):
    out = invoke("topic_missing", "--period", "p1", "--db", str(tmp_path / "none.duckdb"))
    assert out.exit_code == 2 and "ещё не создано" in out.output
    bad = tmp_path / "norms.toml"
    bad.write_text("[rounding]\nto_6 = 5.5\n", encoding="utf-8")
    out = invoke("topic_missing", "--period", "p1", "--db", str(warehouse), "--norms", str(bad))
    assert out.exit_code == 2 and "неизвестный параметр «to_6»" in out.output


def test_titles_and_descriptions_quote_the_schools_own_norms(tmp_path, warehouse):
    """A school that counts a «2» corrected within 4 lessons and puts a pupil at «н/а» risk from 40 % of missed
    lessons saw ««2» не исправлена за 3 урока» and «не меньше 50 %»: the registry's defaults, as literals."""
    own = tmp_path / "norms.toml"
    own.write_text("[journal]\ntwo_correction_lessons = 4\ncontrol_work_grace_days = 5\n"
                   "[attendance]\nna_risk_missed_share = 0.4\n[timeliness]\nspree_min_age_days = 21\n"
                   "[deadlines]\ncontrol_work_days = 5\ntopic_days = 1\nhomework_days = 2\n", encoding="utf-8")
    default = {r["name"]: r for r in json.loads(invoke("--format", "json").output)}
    rows = {r["name"]: r for r in json.loads(invoke("--format", "json", "--norms", str(own)).output)}
    assert default["two_not_corrected"]["title"] == "«2» не исправлена за 3\u00a0урока"
    assert rows["two_not_corrected"]["title"] == "«2» не исправлена за 4\u00a0урока"
    assert rows["two_not_corrected"]["description"].endswith("в следующие 4\u00a0урока.")
    assert "не меньше 40\u00a0% уроков" in rows["na_risk"]["description"]
    assert "через 5\u00a0дней" in rows["control_work_incomplete"]["description"]
    assert "не меньше 21\u00a0дня назад" in rows["mark_spree"]["description"]
    assert ("своего вида работы (обычные работы — 1\u00a0день, контрольные — 5\u00a0дней, сочинение и изложение — "
            "10\u00a0дней); "
            "где источник не даёт время") in rows["mark_late"]["description"]
    # entry deadlines other than the lesson day: «позже дня урока» would call a topic of the next day late
    assert default["topic_late"]["title"] == "Темы, записанные позже дня урока"
    assert rows["topic_late"]["title"] == "Темы, записанные позже чем через 1\u00a0день после урока"
    assert rows["homework_late"]["description"] == "Уроки, ДЗ к которым внесено позже чем через 2\u00a0дня после урока."
    assert rows["attendance_late"]["title"] == default["attendance_late"]["title"] == (
        "Посещаемость, отмеченная позже дня урока")
    assert not [r for r in rows.values() if "{" in r["title"] + r["description"]]
    out = invoke("two_not_corrected", "--period", "p1", "--as-of", "2026-02-01", "--db", str(warehouse),
                 "--norms", str(own), "--format", "json")
    assert json.loads(out.output)["title"] == "«2» не исправлена за 4\u00a0урока"
