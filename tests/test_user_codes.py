"""`zavuch user add|grant` refuses a school, class, subject or person code the warehouse does not hold
(a misspelt class used to give a class teacher an empty deck, silently); before the first load, when the
first administrator is created, there is nothing to check and the account is created."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from access import accounts
from access.store import open_store
from cli.main import app
from etl.norms import load_norms
from tests.metrics_fixtures import school

PASSWORD = "верный-пароль-123\n"


@pytest.fixture()
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ZAVUCH_ACCESS_DB", raising=False)
    path = tmp_path / "wh.duckdb"
    school(str(path)).con.close()
    return path


def _add(db: Path, *args: str):
    return CliRunner().invoke(app, ["user", "add", *args, "--password-stdin", "--db", str(db)], input=PASSWORD)


def _logins(db: Path) -> list[str]:
    with open_store(db.parent / "zavuch-access.sqlite") as con:
        return [a.login for a in accounts.all_accounts(con)]


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "class_teacher", "--school", "s1", "--class", "5v"], "--class: класс (группа) «5v» не найден(а)"),
    (["--role", "class_teacher", "--school", "s2", "--class", "5a"], "--school: школа «s2» не найден(а)"),
    (["--role", "subject_teacher", "--school", "s1", "--pair", "5a:physics"], "--pair: предмет «physics» не найден(а)"),
    (["--role", "subject_teacher", "--school", "s1", "--pair", "5z:math"], "--pair: класс (группа) «5z» не найден(а)"),
    (["--role", "deputy", "--person", "t_nobody"], "--person: человек «t_nobody» не найден(а)"),
])
def test_unknown_code_refused(warehouse: Path, args: list[str], message: str) -> None:
    r = _add(warehouse, "kl5a", "--name", "Иванова И. И.", *args)
    assert r.exit_code == 2
    assert message in r.output
    assert "kl5a" not in _logins(warehouse)


def test_known_codes_accepted_and_grant_checked(warehouse: Path) -> None:
    r = _add(warehouse, "kl5a", "--name", "Иванова И. И.", "--role", "class_teacher", "--school", "s1",
             "--class", "5a", "--person", "t_math")
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["user", "grant", "kl5a", "--role", "subject_teacher", "--school", "s1",
                                 "--pair", "5a:chemistry", "--db", str(warehouse)])
    assert r.exit_code == 2 and "--pair: предмет «chemistry» не найден(а)" in r.output
    with open_store(warehouse.parent / "zavuch-access.sqlite") as con:
        account = accounts.get(con, "kl5a")
    assert (account.role, account.class_ids, account.pairs) == ("class_teacher", ("5a",), ())


def test_first_administrator_before_any_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZAVUCH_ACCESS_DB", raising=False)
    db = tmp_path / "data" / "zavuch.duckdb"
    db.parent.mkdir()
    r = _add(db, "direktor", "--name", "Иванова А. П.", "--role", "director")
    assert r.exit_code == 0, r.output
    assert _logins(db) == ["direktor"]


def test_mismatched_password_asked_again_in_russian(warehouse: Path) -> None:
    r = CliRunner().invoke(app, ["user", "add", "zam", "--name", "Петрова А. Н.", "--role", "deputy",
                                 "--db", str(warehouse)],
                           input="пароль-один-1\nпароль-два-22\nпароль-три-333\nпароль-три-333\n")
    assert r.exit_code == 0, r.output
    assert "Пароли не совпадают; введите пароль ещё раз." in r.output
    assert "do not match" not in r.output
    rules = load_norms()["access"]
    with open_store(warehouse.parent / "zavuch-access.sqlite") as con:
        assert accounts.authenticate(con, "zam", "пароль-три-333", rules).account is not None
