"""SQL source against a real PostgreSQL server started by the tests (tests/pg_fixtures.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.adapters import AdapterError, ImportOptions, adapter, import_extract
from tests.adapter_fixtures import query
from tests.pg_fixtures import postgres_url  # noqa: F401  (fixture)

SCHOOL_DB = """
CREATE TABLE shkola (kod int PRIMARY KEY, nazv text);
CREATE TABLE klass (id int PRIMARY KEY, nazv text, parallel int);
CREATE TABLE uchenik (id bigint PRIMARY KEY, fam text, im text, otch text, klass_id int, zachislen date);
CREATE TABLE uchitel (id int PRIMARY KEY, fio text);
CREATE TABLE predmet (id int PRIMARY KEY, nazv text);
CREATE TABLE urok (id int PRIMARY KEY, klass_id int, predmet_id int, data date, nomer int, tema text,
                   uchitel_id int);
CREATE TABLE ocenka (id int PRIMARY KEY, uchenik_id bigint, urok_id int, znach text, ves numeric(4,2),
                     vnesena timestamp);
CREATE TABLE propusk (uchenik_id bigint, urok_id int, kod text);
INSERT INTO shkola VALUES (1, 'Лицей № 2');
INSERT INTO klass VALUES (10, '7Б', 7);
INSERT INTO uchenik VALUES (9007199254740993, 'Орлов', 'Илья', NULL, 10, '2025-09-01'),
                           (2, 'Зайцева', 'Мария', 'Петровна', 10, '2025-09-01');
INSERT INTO uchitel VALUES (5, 'Кузнецова Анна Сергеевна');
INSERT INTO predmet VALUES (3, 'Физика');
INSERT INTO urok VALUES (100, 10, 3, '2025-09-02', 2, 'Механическое движение', 5),
                        (101, 10, 3, '2025-09-04', 3, 'Скорость', 5);
INSERT INTO ocenka VALUES (1000, 9007199254740993, 100, '5', 1, '2025-09-02 14:05:00'),
                          (1001, 2, 100, '3', 2, '2025-09-12 20:00:00'),
                          (1002, 2, 101, '4+', NULL, NULL);
INSERT INTO propusk VALUES (9007199254740993, 101, 'Б');
"""

MAPPING = """
url_env = "ZAVUCH_TEST_SQL_URL"
mode = "snapshot"

[tables.schools]
from = "shkola"
[tables.schools.columns]
id = "kod"
name = "nazv"

[tables.academic_years]
query = "SELECT '2025' AS id, kod AS school_id, '2025/2026' AS name, DATE '2025-09-01' AS start_date, DATE '2026-05-31' AS end_date FROM shkola"

[tables.people]
query = '''
SELECT 'u' || id AS id, 1 AS school_id, 'student' AS role, fam AS last_name, im AS first_name, otch AS middle_name
FROM uchenik
UNION ALL
SELECT 't' || id, 1, 'teacher', split_part(fio, ' ', 1), split_part(fio, ' ', 2), split_part(fio, ' ', 3) FROM uchitel
'''

[tables.subjects]
from = "predmet"
[tables.subjects.columns]
id = "id"
school_id = "1"
name = "nazv"

[tables.groups]
from = "klass"
[tables.groups.columns]
id = "id"
school_id = "1"
academic_year_id = "'2025'"
name = "nazv"
kind = "'class'"
grade = "parallel"

[tables.memberships]
from = "uchenik"
[tables.memberships.columns]
id = "id"
group_id = "klass_id"
student_id = "'u' || id"
valid_from = "zachislen"

[tables.lessons]
from = "urok"
[tables.lessons.columns]
id = "id"
group_id = "klass_id"
subject_id = "predmet_id"
lesson_date = "data"
lesson_number = "nomer"
topic = "tema"
planned_teacher_id = "'t' || uchitel_id"

[tables.marks]
from = "ocenka"
where = "znach <> ''"
[tables.marks.columns]
id = "id"
student_id = "'u' || uchenik_id"
lesson_id = "urok_id"
value = "znach"
weight = "ves"
entered_at = "vnesena"

[tables.attendance]
query = "SELECT uchenik_id || '-' || urok_id AS id, 'u' || uchenik_id AS student_id, urok_id AS lesson_id, kod AS code FROM propusk"
"""


@pytest.fixture(scope="module")
def school_db(postgres_url: str) -> str:  # noqa: F811
    engine = sa.create_engine(postgres_url)
    with engine.begin() as con:
        for stmt in SCHOOL_DB.split(";"):
            if stmt.strip():
                con.execute(sa.text(stmt))
    engine.dispose()
    return postgres_url


def _mapping(tmp: Path, text: str = MAPPING) -> Path:
    p = tmp / "mapping.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_postgres_school_database_loads_through_the_mapping(school_db: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAVUCH_TEST_SQL_URL", school_db)
    db = tmp_path / "wh.duckdb"
    result = import_extract(adapter("sql").read(_mapping(tmp_path), ImportOptions()), db)
    assert result.report.status == "loaded"
    assert query(db, "SELECT count(*) FROM rejected_rows") == [(0,)]
    # a bigint past 2^53 survives as text
    assert query(db, "SELECT id, last_name, middle_name FROM people WHERE role = 'student' ORDER BY id") == [
        ("sql:u2", "Зайцева", "Петровна"), ("sql:u9007199254740993", "Орлов", None)]
    assert query(db, "SELECT id, planned_teacher_id, topic FROM lessons ORDER BY id") == [
        ("sql:100", "sql:t5", "Механическое движение"), ("sql:101", "sql:t5", "Скорость")]
    assert query(db, "SELECT id, value_raw, value_num, weight, entered_at, entered_at_source, source_system "
                     "FROM marks ORDER BY id") == [
        ("sql:1000", "5", 5, 1, dt.datetime(2025, 9, 2, 14, 5), "sql:entered_at", "sql"),
        ("sql:1001", "3", 3, 2, dt.datetime(2025, 9, 12, 20, 0), "sql:entered_at", "sql"),
        ("sql:1002", "4+", 4, 1, None, None, "sql")]
    assert query(db, "SELECT student_id, status, raw_code FROM attendance") == [
        ("sql:u9007199254740993", "absent_illness", "Б")]


def test_mapping_errors_name_the_table_and_problem(school_db: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAVUCH_TEST_SQL_URL", school_db)
    broken = MAPPING.replace('value = "znach"', 'value = "no_such_column"')
    with pytest.raises(AdapterError, match=r"\[tables.marks\]: запрос не выполнен: .*no_such_column"):
        adapter("sql").read(_mapping(tmp_path, broken), ImportOptions())
    extra = MAPPING.replace('name = "nazv"\n\n[tables.academic', 'name = "nazv"\nmotto = "nazv"\n\n[tables.academic')
    with pytest.raises(AdapterError, match=r"\[tables.schools\]: столбцов motto нет в таблице schools"):
        adapter("sql").read(_mapping(tmp_path, extra), ImportOptions())


def test_password_in_mapping_file_is_refused(tmp_path: Path) -> None:
    text = MAPPING.replace('url_env = "ZAVUCH_TEST_SQL_URL"', 'url = "postgresql+psycopg://u:secret@127.0.0.1/x"')
    with pytest.raises(AdapterError, match="пароль в url не хранится"):
        adapter("sql").read(_mapping(tmp_path, text), ImportOptions())
