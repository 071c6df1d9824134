"""A deputy types the names they know («5А», «Иванова», «1 семестр») where the command line wants ids. The
refusal used to end at «класс «5А» не найден в хранилище», leaving them to dig the id out of the database;
it now offers the ids of that name (queries/scope_suggest.sql). Built on tests/metrics_fixtures.py."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import queries
from cli.main import app
from tests.metrics_fixtures import AS_OF, school


@pytest.fixture(scope="module")
def con():
    return school().con


@pytest.mark.parametrize(("scope", "message"), [
    (queries.Scope(period_id="p1", group_id="5а"),
     "класс «5а» не найден в хранилище: укажите ИД; с таким названием: 5a (5А, 2025/2026)"),
    (queries.Scope(period_id="p1", group_id="5 А англ. 1 гр."),
     "класс «5 А англ. 1 гр.» не найден в хранилище: укажите ИД; с таким названием: 5a_eng1 (5А англ. 1 гр., 2025/2026)"),
    (queries.Scope(period_id="p1", teacher_id="иванова"),
     "учитель «иванова» не найден в хранилище: укажите ИД; с такой фамилией или ФИО: t_math (Иванова Имя)"),
    (queries.Scope(period_id="p1", subject_id="математика"),
     "предмет «математика» не найден в хранилище: укажите ИД; с таким названием: math (Математика)"),
    (queries.Scope(period_id="1 семестр"),
     "период «1 семестр» не найден в хранилище: укажите ИД; периоды: p0 (2 семестр 2024/2025, 2–9 кл.); "
     "p1 (1 семестр 2025/2026, 2–9 кл.); h1 (1 полугодие 2025/2026, 10–11 кл.)"),
    (queries.Scope(period_id="p1", school_id="Исток"),
     "школа «Исток» не найдена в хранилище: укажите ИД; школы: s1 (Гимназия «Исток»)"),
])
def test_an_unknown_id_offers_the_ids_of_that_name(con, scope, message):
    with pytest.raises(queries.ScopeError) as e:
        queries.run(con, "topic_missing", scope)
    assert str(e.value).replace("\u00a0", " ") == message


def test_a_student_is_never_offered_as_a_teacher_and_a_stranger_gets_no_list(con):
    with pytest.raises(queries.ScopeError) as e:
        queries.run(con, "topic_missing", queries.Scope(period_id="p1", teacher_id="Егорова"))  # a pupil's name
    assert str(e.value) == "учитель «Егорова» не найден в хранилище"


def test_the_documents_commands_offer_them_too(tmp_path):
    db = tmp_path / "wh.duckdb"
    school(str(db)).con.close()
    runner = CliRunner()
    out = runner.invoke(app, ["vedomost", "--period", "p1", "--class", "5А", "--out", str(tmp_path / "v.pdf"),
                              "--db", str(db)])
    assert out.exit_code == 2 and "с таким названием: 5a (5А, 2025/2026)" in out.output
    out = runner.invoke(app, ["vedomost", "--year", "2025/2026", "--out", str(tmp_path / "v.pdf"), "--db", str(db)])
    assert out.exit_code == 2 and "учебные годы: y24 (2024/2025); y25 (2025/2026)" in out.output
    out = runner.invoke(app, ["pismo", "--class", "5б", "--as-of", AS_OF.isoformat(), "--out",
                              str(tmp_path / "p.pdf"), "--db", str(db)])
    assert out.exit_code == 2 and "класс «5б» не найден в хранилище: укажите ИД; с таким названием: 5b" in out.output
    assert not (tmp_path / "v.pdf").exists() and not (tmp_path / "p.pdf").exists()
