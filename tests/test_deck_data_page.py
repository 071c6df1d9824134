"""The deck's «Данные» page as the IT administrator reads it: marks and absences of a pupil who was not in the
lesson's class (or subgroup) on its date loaded with a flag that `zavuch status` counted but the page did not
show; now the page shows the same figure, from the same query, with what it means and what to do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_fixtures import APP, clean_streamlit_caches, demo_db  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
ZAVUCH = Path(sys.executable).with_name("zavuch")


def _data_page(db: Path) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/warehouse.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _status_json(db: Path) -> dict:
    r = subprocess.run([str(ZAVUCH), "status", "--json", "--db", str(db)], capture_output=True, text=True,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_data_page_shows_the_pupils_outside_the_lessons_class_as_zavuch_status_does(demo_db, tmp_path):  # noqa: F811
    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    try:  # as the loader flags them: three marks and two absences of a pupil outside the lesson's group
        con.execute("UPDATE marks SET flag_student_not_in_group = true "
                    "WHERE id IN (SELECT id FROM marks WHERE deleted_at IS NULL ORDER BY id LIMIT 3)")
        con.execute("UPDATE attendance SET flag_student_not_in_group = true "
                    "WHERE id IN (SELECT id FROM attendance WHERE deleted_at IS NULL ORDER BY id LIMIT 2)")
    finally:
        con.close()
    cli = _status_json(db)["outside_group"]
    assert cli == [{"table_name": "marks", "rows": 3}, {"table_name": "attendance", "rows": 2}]
    at = _data_page(db)
    shown = at.session_state["_downloads"]["outside_group"]
    assert shown.rows() == [("отметки", 3), ("пропуски и опоздания", 2)]
    assert [r["rows"] for r in cli] == shown["Строк"].to_list()
    warning = next(w.value for w in at.warning if "не состоял в классе" in w.value)
    assert warning.startswith("Ученик не состоял в классе (группе) урока на дату урока: отметки — 3, "
                              "пропуски и опоздания — 2.")
    assert "Что сделать: сверьте в ЭЖ даты зачисления и выбытия" in warning


def test_data_page_says_there_are_none_when_status_counts_none(demo_db):  # noqa: F811
    assert _status_json(demo_db)["outside_group"] == []
    at = _data_page(demo_db)
    assert "outside_group" not in at.session_state["_downloads"]
    assert any(i.value.startswith("Таких записей нет: каждая отметка и каждый пропуск") for i in at.info)
    assert not [w for w in at.warning if "не состоял в классе" in w.value]
