"""Counts in the command's messages agree with the number in Russian: «1 строка», «2 строки», «5 строк»
(the metric table's title always said «строк»: «43 строк»)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.metrics_fixtures import D, school


@pytest.mark.parametrize(("lessons", "title"), [(1, "1 строка"), (2, "2 строки"), (5, "5 строк"), (21, "21 строка")])
def test_metric_table_title(tmp_path: Path, lessons: int, title: str) -> None:
    path = tmp_path / "wh.duckdb"
    s = school(str(path))
    for k in range(lessons):  # lessons without a topic, one per school day from Monday 8 Sep
        day = D(2025, 9, 8) + dt.timedelta(days=7 * (k // 5) + k % 5)
        s.lesson("5a", "math", day, topic=None)
    s.con.close()
    r = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["metrics", "topic_missing", "--period", "p1", "--as-of", "2026-02-01", "--db", str(path)])
    assert r.exit_code == 0, r.output
    assert f"Уроки без темы (п. 2.5, 2.10): {title}" in r.output.replace("\u00a0", " ")


def test_one_plural_rule_for_every_layer():
    from etl.russian import plural
    forms = ("урок", "урока", "уроков")
    assert [plural(n, *forms) for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)] == [
        "уроков", "урок", "урока", "урока", "уроков", "уроков", "уроков", "уроков", "урок", "урока", "уроков",
        "урок", "уроков"]
