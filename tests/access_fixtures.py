"""Warehouses and accounts for the access tests: the demo school copied to a temp folder, made "real"
by a compromise report loaded through `zavuch incident add` (a non-demo batch), with one account per role."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from access import accounts
from access.incidents import record_incident
from access.store import open_store, resolve_store_path
from etl.warehouse import connect_readonly
from tests.conftest import DemoSchool

PASSWORD = "Проверочный-пароль-1"
PERIOD, SCHOOL = "s001-per-s2", "s001"
CLASS_5A = "s001-g029"  # 5А with its subgroups s001-g030 … g033
PAIR = ("s001-g029", "s001-subj-geo")  # a subject teacher: 5А geography only
INCIDENT_PERSON, INCIDENT_AT = "s001-t039", dt.datetime(2026, 4, 1, 10, 0)
# login → (role, schools, classes, pairs)
ROLE_ACCOUNTS: dict[str, tuple[str, list[str] | None, list[str], list[tuple[str, str]]]] = {
    "director": ("director", None, [], []),
    "deputy": ("deputy", [SCHOOL], [], []),
    "methodologist": ("methodologist", None, [], []),
    "class_teacher": ("class_teacher", [SCHOOL], [CLASS_5A], []),
    "subject_teacher": ("subject_teacher", [SCHOOL], [], [PAIR]),
    "it_admin": ("it_admin", None, [], []),
}


@dataclass(frozen=True)
class RealSchool:
    db: Path
    store: Path


def make_real_school(demo: DemoSchool, folder: Path) -> RealSchool:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "wh.duckdb"
    shutil.copy(demo.db, db)
    record_incident(db, INCIDENT_PERSON, INCIDENT_AT, "тест: пароль стал известен посторонним")
    store = resolve_store_path(db)
    with open_store(store) as con:
        for login, (role, schools, classes, pairs) in ROLE_ACCOUNTS.items():
            accounts.add(con, login, f"Пользователь {login}", role, PASSWORD, by="test", school_ids=schools,
                         class_ids=classes, pairs=pairs)
    return RealSchool(db, store)


@pytest.fixture(scope="module")
def real_school(demo_school, tmp_path_factory) -> RealSchool:
    return make_real_school(demo_school, tmp_path_factory.mktemp("access"))


def student_surnames(db: Path) -> set[str]:
    """Surnames only students carry (a teacher with the same surname may be named)."""
    con = connect_readonly(db)
    try:
        rows = con.execute("SELECT DISTINCT last_name FROM people WHERE role = 'student' EXCEPT "
                           "SELECT last_name FROM people WHERE role <> 'student'").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}
