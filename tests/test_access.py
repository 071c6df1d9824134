"""Access control outside the deck: accounts, lock-out, the audit log, the compromise register, and the
query layer's row-level scope and pseudonyms (issue 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

import queries
from access import accounts, audit
from access.incidents import record_incident
from access.store import open_store, pseudonym_key
from cli.main import app
from dashboard import data, fmt, forecast_data
from dashboard.upload import check_sizes
from etl.bundle import BundleRefused
from etl.norms import load_norms
from etl.warehouse import connect_readonly
from queries import deck, documents
from queries.access import FULL, Access, AccessDenied, connection, pseudonym
from queries.forecast import marking_pace, student_forecasts
from reports import render_docx, svodnaya, weekly
from tests.access_fixtures import (
    CLASS_5A, INCIDENT_AT, INCIDENT_PERSON, PAIR, PASSWORD, PERIOD, SCHOOL, real_school,  # noqa: F401
    student_surnames,
)

RULES = {"lockout_after_failures": 3, "lockout_base_seconds": 60, "lockout_max_seconds": 600}
T0 = dt.datetime(2026, 5, 1, 9, 0)
KEY = b"k" * 32
CLASS_TEACHER = Access(role="class_teacher", school_ids=frozenset({SCHOOL}), class_ids=frozenset({CLASS_5A}))
SUBJECT_TEACHER = Access(role="subject_teacher", school_ids=frozenset({SCHOOL}), pairs=frozenset({PAIR}))
METHODOLOGIST = Access(role="methodologist", pseudonymise=True, min_group_size=5, key=KEY)
SCOPE = queries.Scope(period_id=PERIOD)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "access.sqlite"
    with open_store(path) as con:
        accounts.add(con, "zam", "Петрова Е. В.", "deputy", PASSWORD, by="cli")
    return path


@pytest.fixture(scope="module")
def con(demo_school):
    c = connect_readonly(demo_school.db)
    yield c
    c.close()


# ---------------------------------------------------------------- accounts and login

def test_password_is_stored_as_argon2id_and_verified(store):
    with open_store(store) as con:
        stored = con.execute("SELECT password_hash FROM accounts WHERE login = 'zam'").fetchone()[0]
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert accounts.authenticate(con, "zam", PASSWORD, RULES, T0).account.login == "zam"
        wrong = accounts.authenticate(con, "zam", "не-тот-пароль-1", RULES, T0)
        unknown = accounts.authenticate(con, "nobody", PASSWORD, RULES, T0)
    assert wrong.account is None and unknown.account is None
    assert wrong.message == unknown.message == "Неверный логин или пароль."


def test_no_account_without_a_password_and_no_short_password(store):
    with open_store(store) as con, pytest.raises(accounts.AccountError, match="пароль или идентификатор"):
        accounts.add(con, "x", "X", "director", None, by="cli")
    with open_store(store) as con, pytest.raises(accounts.AccountError, match="короче 10"):
        accounts.add(con, "x", "X", "director", "короткий", by="cli")


def test_lockout_with_back_off_refuses_even_the_right_password(store):
    with open_store(store) as con:
        for i in range(2):
            assert accounts.authenticate(con, "zam", "ошибка-пароля-1", RULES, T0).locked_seconds == 0
        third = accounts.authenticate(con, "zam", "ошибка-пароля-1", RULES, T0)
        assert third.locked_seconds == 60
        locked = accounts.authenticate(con, "zam", PASSWORD, RULES, T0 + dt.timedelta(seconds=59))
        assert locked.account is None and "Повторите через 1 с" in locked.message
        # After the lock a further failure doubles it: 120 s, then 240 s.
        assert accounts.authenticate(con, "zam", "ошибка-пароля-1", RULES,
                                     T0 + dt.timedelta(seconds=61)).locked_seconds == 120
        assert accounts.authenticate(con, "zam", "ошибка-пароля-1", RULES,
                                     T0 + dt.timedelta(seconds=200)).locked_seconds == 240
        ok = accounts.authenticate(con, "zam", PASSWORD, RULES, T0 + dt.timedelta(seconds=441))
        assert ok.account is not None
        assert con.execute("SELECT failed_logins FROM accounts WHERE login = 'zam'").fetchone()[0] == 0
        actions = audit.entries(con)["action"].to_list()[::-1]
    assert actions == ["account_add", "login_failed", "login_failed", "login_failed", "login_locked",
                       "login_failed", "login_failed", "login_ok"]


def test_disabled_account_cannot_log_in(store):
    with open_store(store) as con:
        accounts.set_disabled(con, "zam", True, by="cli")
        assert accounts.authenticate(con, "zam", PASSWORD, RULES, T0).account is None


def test_audit_log_is_append_only(store):
    with open_store(store) as con:
        audit.record(con, "zam", "download", file="mark_late.xlsx")
    with open_store(store) as con:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE audit_log SET login = 'other'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM audit_log")


def test_cli_user_commands_and_audit(tmp_path):
    env = {"ZAVUCH_DB": str(tmp_path / "wh.duckdb"), "ZAVUCH_ACCESS_DB": ""}
    runner = CliRunner()
    r = runner.invoke(app, ["user", "add", "boss", "--name", "Иванова А. П.", "--role", "director",
                            "--password-stdin"], input=PASSWORD + "\n", env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["user", "add", "kl", "--name", "Классный", "--role", "class_teacher",
                            "--password-stdin"], input=PASSWORD + "\n", env=env)
    assert r.exit_code == 2 and "нужен хотя бы один класс" in r.output
    for args in (["user", "grant", "boss", "--role", "class_teacher", "--school", SCHOOL, "--class", CLASS_5A],
                 ["user", "disable", "boss"], ["user", "enable", "boss"]):
        assert runner.invoke(app, args, env=env).exit_code == 0
    r = runner.invoke(app, ["user", "reset-password", "boss", "--password-stdin"], input="Новый-пароль-22\n", env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["user", "list"], env=env)
    assert "boss" in r.output and "s001-g029" in r.output
    with open_store(tmp_path / "zavuch-access.sqlite") as con:
        log = audit.entries(con)
        assert accounts.get(con, "boss").class_ids == (CLASS_5A,)
    assert log["action"].to_list()[::-1] == ["account_add", "account_grant", "account_disable", "account_enable",
                                             "account_password"]
    assert set(log["login"]) == {"cli"}


def test_account_without_a_name_is_refused(store):
    """An account named «» showed as a blank line in `user list` and in the audit log's «who»."""
    for blank in ("", "   "):
        with open_store(store) as con, pytest.raises(accounts.AccountError, match="ФИО не может быть пустым"):
            accounts.add(con, "x", blank, "director", PASSWORD, by="cli")
    with open_store(store) as con:
        assert accounts.add(con, "y", "  Сидоров П. П. ", "deputy", PASSWORD, by="cli").full_name == "Сидоров П. П."
        assert accounts.get(con, "x") is None



def test_a_login_with_a_space_inside_is_refused(store):
    """«ivanova anna» was accepted; the login form needs it typed exactly, space and all, every time."""
    with open_store(store) as con, pytest.raises(accounts.AccountError, match="«ivanova anna» содержит пробел; "
                                                                           "используйте, например, «ivanova_anna»"):
        accounts.add(con, "ivanova anna", "Иванова А. П.", "deputy", PASSWORD, by="cli")
    with open_store(store) as con:
        assert accounts.get(con, "ivanova anna") is None
        assert accounts.add(con, " ivanova_anna ", "Иванова А. П.", "deputy", PASSWORD, by="cli").login == "ivanova_anna"

def test_password_from_a_file_saved_on_windows_is_read_without_its_line_ending(tmp_path):
    """`zavuch user add … --password-stdin < pw.txt` with a Notepad file (CR LF) was refused as «ends with a
    space». Run as the console script: stdin's bytes reach the command as the shell gives them."""
    env = {**os.environ, "ZAVUCH_DB": str(tmp_path / "wh.duckdb"), "ZAVUCH_ACCESS_DB": ""}
    r = subprocess.run([str(Path(sys.executable).with_name("zavuch")), "user", "add", "boss", "--name",
                        "Иванова А. П.", "--role", "director", "--password-stdin"],
                       input=(PASSWORD + "\r\n").encode(), capture_output=True, env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr.decode()
    with open_store(tmp_path / "zavuch-access.sqlite") as con:
        assert accounts.authenticate(con, "boss", PASSWORD, RULES, T0).account.login == "boss"


# ---------------------------------------------------------------- compromise register

def test_entries_after_a_reported_compromise_are_flagged(real_school):  # noqa: F811
    con = connect_readonly(real_school.db)
    try:
        flagged = queries.run(con, "entry_after_compromise", SCOPE)
        mine = flagged.filter((pl.col("teacher_id") == INCIDENT_PERSON) & (pl.col("kind") == "отметка"))
        expected = con.execute(
            "SELECT count(*) FROM marks m JOIN periods p ON p.id = ? JOIN groups g ON g.id = m.group_id "
            "WHERE m.deleted_at IS NULL AND m.entered_by = ? AND m.entered_at >= ? "
            "AND m.lesson_date BETWEEN p.start_date AND p.end_date AND g.grade BETWEEN p.grade_from AND p.grade_to",
            [PERIOD, INCIDENT_PERSON, INCIDENT_AT]).fetchall()[0][0]
        card = queries.teacher_scorecard(con, SCOPE).filter(pl.col("teacher_id") == INCIDENT_PERSON)
    finally:
        con.close()
    assert expected > 0
    assert mine.height == expected
    assert (mine["entered_at"] >= INCIDENT_AT).all()
    # the scorecard counts every kind of invalid entry (topics, roll calls, … too: test_compromise.py)
    assert card["entry_after_compromise"].item() == flagged.filter(pl.col("teacher_id") == INCIDENT_PERSON).height


def test_incident_for_an_unknown_person_is_refused_without_a_batch(real_school):  # noqa: F811
    r = CliRunner().invoke(app, ["incident", "add", "--person", "nobody", "--at", "2026-05-01 10:00",
                                 "--db", str(real_school.db)])
    assert r.exit_code == 2 and "нет человека с кодом «nobody»" in r.output


def test_incident_reported_in_the_future_is_refused_without_a_batch(real_school):  # noqa: F811
    """«--at 2062-04-01» (a typo of 2026) was recorded and said «записи … отмечены как недействительные», while
    nothing was invalid: п. 4.4 counts from when the report was received, which cannot be later than now."""
    def batches() -> int:
        con = duckdb.connect(str(real_school.db), read_only=True)
        try:
            return con.execute("SELECT count(*) FROM import_batches").fetchall()[0][0]
        finally:
            con.close()

    before = batches()
    ahead = (dt.datetime.now() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    r = CliRunner().invoke(app, ["incident", "add", "--person", INCIDENT_PERSON, "--at", ahead,
                                 "--db", str(real_school.db)])
    assert r.exit_code == 2 and "позже текущего момента" in r.output and "ничего не записано" in r.output
    assert batches() == before


def test_incident_recorded_again_without_description_keeps_it(real_school, tmp_path):  # noqa: F811
    db = tmp_path / "w.duckdb"
    shutil.copy(real_school.db, db)
    at = dt.datetime(2030, 1, 10, 9, 0)
    person = INCIDENT_PERSON

    def descriptions() -> list[str | None]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return [r[0] for r in con.execute("SELECT description FROM account_incidents WHERE person_id = ? "
                                              "AND reported_at = ?", [person, at]).fetchall()]
        finally:
            con.close()

    batch_time = dt.datetime.now().replace(microsecond=0)  # a batch each second: the loader's clock check
    record_incident(db, person, at, "пароль записан на доске", now=batch_time + dt.timedelta(seconds=1))
    record_incident(db, person, at, None, now=batch_time + dt.timedelta(seconds=2))
    assert descriptions() == ["пароль записан на доске"]
    record_incident(db, person, at, "пароль отправлен в общий чат", now=batch_time + dt.timedelta(seconds=3))
    assert descriptions() == ["пароль отправлен в общий чат"]


# ---------------------------------------------------------------- the query layer's scope

def test_class_teacher_sees_only_their_class_whatever_the_filters(con):
    groups = {r[0] for r in con.execute("SELECT id FROM groups WHERE id = ? OR parent_group_id = ?",
                                        [CLASS_5A, CLASS_5A]).fetchall()}
    for name in ("mark_late", "attendance_students", "two_in_a_row", "student_categories"):
        df = queries.run(con, name, SCOPE, access=CLASS_TEACHER)
        col = "group_id" if "group_id" in df.columns else "class_id"
        assert df.height and set(df[col]) <= groups, name
    full = queries.run(con, "mark_late", SCOPE).filter(pl.col("group_id").is_in(sorted(groups)))
    assert queries.run(con, "mark_late", SCOPE, access=CLASS_TEACHER).height == full.height
    other = con.execute("SELECT id FROM groups WHERE kind = 'class' AND id <> ? LIMIT 1", [CLASS_5A]).fetchall()[0][0]
    with pytest.raises(queries.ScopeError):  # another class does not exist for them
        queries.run(con, "mark_late", dataclasses.replace(SCOPE, group_id=other), access=CLASS_TEACHER)
    card = queries.teacher_scorecard(con, SCOPE, access=CLASS_TEACHER)
    assert set(card["teacher_id"]) == {r[0] for r in con.execute(
        "SELECT DISTINCT coalesce(actual_teacher_id, planned_teacher_id) FROM lessons l JOIN periods p ON p.id = ? "
        "WHERE l.group_id IN (SELECT unnest(?)) AND l.lesson_date BETWEEN p.start_date AND p.end_date "
        "AND l.deleted_at IS NULL", [PERIOD, sorted(groups)]).fetchall()}


def test_subject_teacher_sees_only_their_pairs(con):
    for name in ("mark_late", "attendance_students", "timeliness_summary", "homework_missing"):
        df = queries.run(con, name, SCOPE, access=SUBJECT_TEACHER)
        if "subject_id" in df.columns:
            assert set(df["subject_id"]) <= {PAIR[1]}, name
    by = deck.mark_timeliness_by(con, SCOPE, access=SUBJECT_TEACHER)  # aggregates: no row to guard
    assert set(by.filter(pl.col("dimension") == "subject")["subject_id"]) == {PAIR[1]}
    restricted = connection(con, SUBJECT_TEACHER)
    for table in ("lessons", "marks", "attendance", "homework", "final_marks", "curriculum", "plan_lessons"):
        assert restricted.execute(f"SELECT DISTINCT subject_id FROM {table}").fetchall() == [(PAIR[1],)], table
    marks = queries.run(con, "mark_late", SCOPE, access=SUBJECT_TEACHER)
    expected = queries.run(con, "mark_late", SCOPE).filter(
        pl.col("class_id") == PAIR[0], pl.col("subject_id") == PAIR[1])
    assert marks.height == expected.height > 0


def test_a_restriction_cannot_be_widened_and_it_admin_sees_no_student_data(con):
    restricted = connection(con, CLASS_TEACHER)
    assert connection(restricted, FULL) is restricted
    with pytest.raises(AccessDenied):
        connection(restricted, SUBJECT_TEACHER)
    with pytest.raises(AccessDenied):
        queries.run(con, "mark_late", SCOPE, access=Access(role="it_admin"))
    assert deck.rejected_rows(con, access=CLASS_TEACHER).is_empty()


def test_methodologist_gets_stable_pseudonyms_and_no_student_names(con, demo_school):
    surnames = student_surnames(demo_school.db)
    lk = deck.lookups(con, access=METHODOLOGIST)
    students = lk.people.filter(pl.col("role") == "student")
    assert students.height > 700  # every student of the demo school, each with the keyed pseudonym
    assert students["short_name"].to_list() == [pseudonym(KEY, r["school_id"], r["id"])
                                                for r in students.iter_rows(named=True)]
    assert students["short_name"].str.starts_with("Ученик ").all()
    assert students["short_name"].n_unique() == students.height
    again = deck.lookups(con, access=METHODOLOGIST)
    assert again.people.equals(lk.people)  # stable
    other_key = deck.lookups(con, access=dataclasses.replace(METHODOLOGIST, key=b"x" * 32))
    assert not other_key.people.filter(pl.col("role") == "student").equals(students)
    directory = documents.directory(con, SCHOOL, access=METHODOLOGIST)
    assert not set(directory.people.filter(pl.col("role") == "student")["last_name"]) & surnames
    # Figures are the same as with names: only names change.
    assert queries.run(con, "mark_late", SCOPE, access=METHODOLOGIST).height == queries.run(con, "mark_late",
                                                                                            SCOPE).height


def test_methodologist_documents_carry_no_student_surname(con, demo_school):
    surnames = student_surnames(demo_school.db)
    doc = svodnaya.build(connection(con, METHODOLOGIST), SCHOOL, period_id=PERIOD, group_id=CLASS_5A,
                         date=dt.date(2026, 6, 10))
    text = "\n".join(c.text for t in docx.Document(io.BytesIO(render_docx(doc))).tables
                     for row in t.rows for c in row.cells)
    assert "Ученик " in text
    assert not [s for s in surnames if re.search(rf"\b{re.escape(s)}\b", text)]
    named = svodnaya.build(con, SCHOOL, period_id=PERIOD, group_id=CLASS_5A, date=dt.date(2026, 6, 10))
    named_text = "\n".join(c.text for t in docx.Document(io.BytesIO(render_docx(named))).tables
                           for row in t.rows for c in row.cells)
    assert [s for s in surnames if re.search(rf"\b{re.escape(s)}\b", named_text)]  # the check can fail


def test_small_groups_are_suppressed_for_methodologists(con):
    results = queries.run(con, "results_summary", SCOPE)
    spikes = queries.run(con, "illness_spikes", SCOPE)
    median = int(results["students"].median())
    for size in (5, median):
        met = dataclasses.replace(METHODOLOGIST, min_group_size=size)
        kept = queries.run(con, "results_summary", SCOPE, access=met)
        assert kept.equals(results.filter(pl.col("students") >= size))
        assert queries.run(con, "illness_spikes", SCOPE, access=met).equals(
            spikes.filter(pl.col("students").is_null() | (pl.col("students") >= size)))  # quarantine rows: no count
    assert 0 < queries.run(con, "results_summary", SCOPE,
                           access=dataclasses.replace(METHODOLOGIST, min_group_size=median)).height < results.height
    with pytest.raises(queries.ScopeError):  # a rule larger than the school: nothing to show at all
        queries.run(con, "results_summary", SCOPE, access=dataclasses.replace(METHODOLOGIST, min_group_size=10_000))



@pytest.mark.parametrize(("metric", "group_col"), [("attendance_summary", "class_id"),
                                                  ("lesson_marks_density", "group_id")])
def test_small_groups_are_suppressed_in_every_student_breakdown(con, metric, group_col):
    sizes = dict(con.execute("SELECT group_id, count(DISTINCT student_id) FROM memberships GROUP BY group_id")
                 .fetchall())
    full = queries.run(con, metric, SCOPE)
    present = sorted({sizes[g] for g in full[group_col].drop_nulls()})
    threshold = present[len(present) // 2]  # a group size of the result: some rows go, some stay
    big = sorted(g for g, n in sizes.items() if n >= threshold)
    kept = queries.run(con, metric, SCOPE, access=dataclasses.replace(METHODOLOGIST, min_group_size=threshold))
    assert kept.equals(full.filter(pl.col(group_col).is_in(big) | pl.col(group_col).is_null()))
    assert 0 < kept.filter(pl.col(group_col).is_not_null()).height < full.filter(pl.col(group_col).is_not_null()).height
    # Rows about one student are pseudonymised, not suppressed, while their class is not small.
    smallest_class = min(n for g, n in con.execute(
        "SELECT g.id, count(DISTINCT m.student_id) FROM groups g JOIN memberships m ON m.group_id = g.id "
        "WHERE g.kind = 'class' GROUP BY g.id").fetchall())
    kept_all = dataclasses.replace(METHODOLOGIST, min_group_size=smallest_class)
    assert queries.run(con, "student_marks_density", SCOPE, access=kept_all).height == \
        queries.run(con, "student_marks_density", SCOPE).height


@pytest.fixture(scope="module")
def commented(demo_school, tmp_path_factory):
    """The demo school with a 5А student's surname typed into mark and absence comments and homework text
    of one week; returns (connection, surname, Monday of that week)."""
    db = tmp_path_factory.mktemp("comments") / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    rw = duckdb.connect(str(db))
    try:
        surname, monday = rw.execute(
            "SELECT p.last_name, (SELECT date_trunc('week', min(lesson_date))::DATE FROM marks "
            "WHERE group_id = $g AND lesson_date >= DATE '2026-02-02') FROM people p "
            "JOIN memberships m ON m.student_id = p.id AND m.group_id = $g "
            "WHERE p.last_name NOT IN (SELECT last_name FROM people WHERE role <> 'student') "
            "ORDER BY p.id LIMIT 1", {"g": CLASS_5A}).fetchone()
        note = f"поговорить с родителями: {surname} списал"
        week = {"g": CLASS_5A, "d": monday, "t": note}
        rw.execute("UPDATE marks SET comment = $t WHERE group_id = $g AND lesson_date BETWEEN $d AND $d + 6", week)
        rw.execute("UPDATE attendance SET comment = $t WHERE group_id = $g AND lesson_date BETWEEN $d AND $d + 6",
                   week)
        rw.execute("UPDATE homework SET text = $t WHERE group_id = $g AND lesson_date BETWEEN $d AND $d + 6", week)
    finally:
        rw.close()
    c = connect_readonly(db)
    yield c, surname, monday
    c.close()


def test_free_text_naming_a_student_does_not_reach_a_methodologist(commented):
    con, surname, monday = commented
    sunday = monday + dt.timedelta(days=6)
    named = documents.class_week(con, CLASS_5A, monday, sunday)
    assert named.marks["comment"].str.contains(surname).any()  # the check can fail
    assert named.homework["text"].str.contains(surname).any()
    week = documents.class_week(con, CLASS_5A, monday, sunday, access=METHODOLOGIST)
    assert week.marks.height == named.marks.height and week.homework.height == named.homework.height
    assert set(week.marks["comment"].drop_nulls()) == {"(скрыто)"}
    assert set(week.homework["text"]) == {"(скрыто)"}
    printed = render_docx(weekly.build(connection(con, METHODOLOGIST), SCHOOL, CLASS_5A, monday))
    named_printed = render_docx(weekly.build(con, SCHOOL, CLASS_5A, monday))
    texts = ["\n".join(c.text for t in docx.Document(io.BytesIO(b)).tables for row in t.rows for c in row.cells)
             for b in (printed, named_printed)]
    assert surname not in texts[0] and "(скрыто)" in texts[0]
    assert surname in texts[1]
    # Figures that read the comments are unchanged (2.9: a mark on an absence needs a comment).
    scope = queries.Scope(period_id=PERIOD)
    assert queries.run(con, "mark_on_absence_no_comment", scope, access=METHODOLOGIST).height == \
        queries.run(con, "mark_on_absence_no_comment", scope).height


def test_account_access_of_each_role(store):
    norms = load_norms()
    with open_store(store) as con:
        key = pseudonym_key(con)
        accounts.add(con, "met", "Методист", "methodologist", PASSWORD, by="cli")
        met = accounts.get(con, "met").access(key, norms)
        zam = accounts.get(con, "zam").access(key, norms)
        assert pseudonym_key(con) == key  # created once per installation
    assert met.pseudonymise and met.min_group_size == norms["access"]["min_group_size"] and met.key == key
    assert zam.is_full and not zam.pseudonymise


# ---------------------------------------------------------------- hardening

def test_exports_neutralise_formulas():
    df = pl.DataFrame({"Тема": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "Дроби", "4-"],
                       "n": [1, 2, 3, 4, 5, 6]})
    csv_text = fmt.to_csv(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\n'+1;" in csv_text and "\n'-2+3;" in csv_text and "'@SUM" in csv_text
    assert "\nДроби;" in csv_text and "\n4-;" in csv_text
    back = pl.read_excel(io.BytesIO(fmt.to_xlsx(df, "Темы")))
    assert back["Тема"].to_list() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "Дроби", "4-"]
    assert back["n"].to_list() == [1, 2, 3, 4, 5, 6]


def test_markdown_from_data_is_inert():
    assert fmt.inert("5А [ссылка](javascript:alert(1)) <b>") == \
        "5А \\[ссылка\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>"


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_upload_limits_refuse_big_files_and_zip_bombs():
    with pytest.raises(BundleRefused, match="не больше 1 МБ"):
        check_sizes([_Upload("marks.csv", b"x" * (1024 * 1024 + 1))], 1024 * 1024, 10 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("marks.csv", b"0" * (3 * 1024 * 1024))
    with pytest.raises(BundleRefused, match="распаковывается в 3 МБ"):
        check_sizes([_Upload("bundle.zip", buf.getvalue())], 1024 * 1024, 2 * 1024 * 1024)
    check_sizes([_Upload("bundle.zip", buf.getvalue())], 1024 * 1024, 4 * 1024 * 1024)


# ---------------------------------------------------------------- small groups: what a methodologist could still single out

CLASS_5B = "s001-g034"  # 5Б, with its subgroups s001-g035 … g038


@pytest.fixture(scope="module")
def tiny_class(demo_school, tmp_path_factory):
    """The demo school with 5Б cut down to its first two students (their marks, absences, period marks
    and memberships; the other 5Б students left the school): a class of 2, as a village school has."""
    db = tmp_path_factory.mktemp("tiny") / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    rw = duckdb.connect(str(db))
    try:
        leavers = [r[0] for r in rw.execute(
            "SELECT DISTINCT student_id FROM memberships WHERE group_id = ? ORDER BY student_id OFFSET 2",
            [CLASS_5B]).fetchall()]
        for table in ("marks", "attendance", "final_marks", "memberships"):
            rw.execute(f"DELETE FROM {table} WHERE student_id IN (SELECT unnest(?))", [leavers])
    finally:
        rw.close()
    c = connect_readonly(db)
    yield c
    c.close()


def test_a_class_of_two_has_no_results_row_for_a_methodologist(tiny_class):
    """Results by class were sized by their period marks (N, one per student and subject): 2 students × 10
    subjects passed the rule of 5, and the «5»…«2» counts of 5Б described two children."""
    full = queries.run(tiny_class, "results_summary", SCOPE)
    five_b = full.filter(pl.col("dimension") == "class", pl.col("key") == CLASS_5B)
    assert five_b.height == 1 and five_b["n"][0] >= 5 and five_b["students"][0] == 2
    kept = queries.run(tiny_class, "results_summary", SCOPE, access=METHODOLOGIST)
    assert kept.filter(pl.col("key") == CLASS_5B).is_empty()
    assert kept["students"].min() >= METHODOLOGIST.min_group_size


def test_a_scope_of_a_few_students_is_refused_to_a_methodologist(tiny_class):
    """Filtered to a class of two, every row «about the whole scope» (key figures, attendance by week, the
    справка's school line) escaped the per-row rule and described those two children."""
    small = dataclasses.replace(SCOPE, group_id=CLASS_5B)
    full = queries.run(tiny_class, "attendance_summary", small)
    assert full.height and full["student_lessons"].sum() > 0  # the named view shows them
    for run in (lambda a: queries.run(tiny_class, "attendance_summary", small, access=a),
                lambda a: deck.key_figures(tiny_class, small, load_norms(), access=a),
                lambda a: queries.period_summary(tiny_class, small, load_norms(), access=a)):
        with pytest.raises(queries.ScopeError, match="в выбранном срезе 2 ученика — меньше 5"):
            run(METHODOLOGIST)
        run(dataclasses.replace(METHODOLOGIST, min_group_size=2))  # two is enough when the norm says so
    assert queries.run(tiny_class, "attendance_summary", dataclasses.replace(SCOPE, group_id="s001-g039"),
                       access=METHODOLOGIST).height  # 6А, a class of a whole parallel, is shown


def test_a_class_teacher_does_not_see_another_classes_pupil_in_a_mixed_subgroup(demo_school, tmp_path):
    """A subgroup hangs on one class but may take pupils of a parallel class (an English group of 5А and 5Б,
    Дневник.ру's subgroup with two parents). 5А's class teacher saw the 5Б pupil's name, marks and absences
    there; they see their own pupils in every subject, also in subgroups others teach, and no one else."""
    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    rw = duckdb.connect(str(db))
    try:
        sub = rw.execute("SELECT id FROM groups WHERE parent_group_id = ? ORDER BY id LIMIT 1", [CLASS_5A]).fetchone()[0]
        guest = rw.execute("SELECT min(student_id) FROM memberships WHERE group_id = ?", [CLASS_5B]).fetchone()[0]
        rw.execute("INSERT INTO memberships SELECT * REPLACE ('mixed-1' AS id, $s AS student_id) FROM memberships "
                   "WHERE group_id = $g ORDER BY id LIMIT 1", {"s": guest, "g": sub})
        rw.execute("INSERT INTO marks SELECT * REPLACE ('mixed-m' || id AS id, $s AS student_id) FROM marks "
                   "WHERE group_id = $g AND lesson_date >= DATE '2026-02-01'", {"s": guest, "g": sub})
    finally:
        rw.close()
    c = connect_readonly(db)
    try:
        restricted = connection(c, CLASS_TEACHER)
        own = {r[0] for r in c.execute("SELECT student_id FROM memberships WHERE group_id = ?", [CLASS_5A]).fetchall()}
        for table in ("marks", "attendance", "final_marks", "memberships"):
            seen = {r[0] for r in restricted.execute(f"SELECT DISTINCT student_id FROM {table}").fetchall()}
            assert seen and seen <= own, table
        assert guest not in {r[0] for r in restricted.execute("SELECT id FROM people").fetchall()}
        density = queries.run(c, "student_marks_density", SCOPE, access=CLASS_TEACHER)
        assert guest in set(queries.run(c, "student_marks_density", SCOPE)["student_id"])  # the check can fail
        assert guest not in set(density["student_id"]) and sub in set(density["group_id"])  # the subgroup stays
    finally:
        c.close()


def test_record_codes_do_not_carry_a_student_to_a_methodologist(demo_school, tmp_path):
    """Adapters build a mark's id from the student (Элшкола: «elschool:mark:<pupil>:…», the pupil being the
    ФИО when the page gives no id; ЭлЖур: «eljur:mark:<student>:…»): «Отметка (код)» handed a methodologist
    the child's name or ЭЖ id. Record codes are keyed pseudonyms for them: stable, one per record."""
    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    rw = duckdb.connect(str(db))
    try:
        rw.execute("UPDATE marks SET id = 'elschool:mark:' || p.last_name || ' ' || p.first_name || ':' || marks.id "
                   "FROM people p WHERE p.id = marks.student_id AND marks.group_id = ?", [CLASS_5A])
    finally:
        rw.close()
    c = connect_readonly(db)
    try:
        scope = dataclasses.replace(SCOPE, group_id=CLASS_5A)
        named = queries.run(c, "mark_late", scope)
        assert named["mark_id"].str.starts_with("elschool:mark:").all()  # the check can fail
        seen = queries.run(c, "mark_late", scope, access=METHODOLOGIST)
        assert seen.height == named.height
        raw = set(named["mark_id"])
        assert not raw & set(seen["mark_id"]) and seen["mark_id"].n_unique() == named["mark_id"].n_unique()
        surnames = student_surnames(db)
        assert not [v for v in seen["mark_id"] if any(s in v for s in surnames)]
        assert seen["mark_id"].equals(queries.run(c, "mark_late", scope, access=METHODOLOGIST)["mark_id"])  # stable
        assert queries.run(c, "mark_late", scope, access=CLASS_TEACHER)["mark_id"].is_in(sorted(raw)).all()
    finally:
        c.close()


def test_a_small_class_cannot_be_got_back_by_subtraction(tiny_class):
    """With only 5Б's row suppressed, the school's (or the level's) total minus the classes shown gave 5Б's
    figures back: «5» = school «5» − Σ other classes' «5». The suppressed rows of a breakdown now hold at
    least min_group_size students together, taken from the same grade first."""
    full = queries.run(tiny_class, "results_summary", SCOPE)
    kept = queries.run(tiny_class, "results_summary", SCOPE, access=METHODOLOGIST)
    classes = full.filter(pl.col("dimension") == "class")
    hidden = classes.filter(~pl.col("key").is_in(kept.filter(pl.col("dimension") == "class")["key"].to_list()))
    assert CLASS_5B in set(hidden["key"]) and CLASS_5A in set(hidden["key"])  # 5А: the other class of grade 5
    assert hidden["students"].sum() >= METHODOLOGIST.min_group_size
    school = kept.filter(pl.col("dimension") == "school")
    shown = kept.filter(pl.col("dimension") == "class")
    assert school["n5"][0] - shown["n5"].sum() == hidden["n5"].sum()  # what subtraction gives: both classes
    sizes = dict(tiny_class.execute("SELECT group_id, count(DISTINCT student_id) FROM memberships GROUP BY 1")
                 .fetchall())
    by_class = queries.run(tiny_class, "attendance_summary", SCOPE).filter(pl.col("dimension") == "class")
    seen = queries.run(tiny_class, "attendance_summary", SCOPE, access=METHODOLOGIST)
    gone = set(by_class["class_id"]) - set(seen.filter(pl.col("dimension") == "class")["class_id"])
    assert CLASS_5B in gone and sum(sizes[g] for g in gone) >= METHODOLOGIST.min_group_size
    assert len(gone) < by_class.height // 2  # the rest of the breakdown stays


def test_a_class_whose_parallel_holds_a_few_more_is_refused_to_a_methodologist(tiny_class):
    """Grade 5 is 5А (28) and 5Б (2): both scopes were allowed, and the parallel's figures minus 5А's were
    5Б's two children. The parallel is shown; 5А alone is refused."""
    grade5 = dataclasses.replace(SCOPE, grade=5)
    assert queries.run(tiny_class, "attendance_summary", grade5, access=METHODOLOGIST).height
    with pytest.raises(queries.ScopeError, match="в параллели кроме выбранного класса 2 ученика"):
        queries.run(tiny_class, "attendance_summary", dataclasses.replace(grade5, group_id=CLASS_5A),
                    access=METHODOLOGIST)
    assert queries.run(tiny_class, "attendance_summary", dataclasses.replace(SCOPE, group_id=CLASS_5A)).height
    other = dataclasses.replace(SCOPE, group_id="s001-g039")  # 6А: its parallel is whole
    assert queries.run(tiny_class, "attendance_summary", other, access=METHODOLOGIST).height


def test_a_pupil_alone_or_with_one_other_in_a_class_is_not_listed_to_a_methodologist(tiny_class):
    """Rows about one student were only pseudonymised: «Ученик 3F9A2C1B, 5Б, неуспевающий» is one of the two
    children of 5Б to anyone who knows the class. Such rows go for a class of fewer than min_group_size."""
    for metric in ("student_marks_density", "student_categories"):
        full = queries.run(tiny_class, metric, SCOPE)
        seen = queries.run(tiny_class, metric, SCOPE, access=METHODOLOGIST)
        assert full.filter(pl.col("class_id") == CLASS_5B).height > 0, metric  # the check can fail
        assert seen.filter(pl.col("class_id") == CLASS_5B).is_empty(), metric
        assert seen.height == full.filter(pl.col("class_id") != CLASS_5B).height, metric  # the others stay


def test_a_small_group_marked_too_rarely_is_not_counted_to_a_methodologist(tiny_class, monkeypatch):
    """«Мало отметок у большинства класса» (the forecast page's marking pace) was computed on the page past the
    access guard: a subgroup of three read «из них мало отметок: 3» of three children. It now goes through the
    guard (dashboard.forecast_data.pace), whose small-group rule reads the pace's own head count."""
    rows = student_forecasts(tiny_class, SCOPE, dt.date(2026, 3, 10), load_norms())
    course = rows.filter(pl.col("teacher_pace_short")).select("group_id", "subject_id").sort(pl.all()).row(0)
    few = rows.filter((pl.col("group_id") == course[0]) & (pl.col("subject_id") == course[1])).head(3)
    full = marking_pace(few)
    assert full.height == 1 and full["students"][0] == 3  # the check can fail
    db = tiny_class.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    monkeypatch.setenv("ZAVUCH_DB", db)
    ver = data.current_version()
    assert forecast_data.pace(ver, few, FULL).height == 1
    assert forecast_data.pace(ver, few, METHODOLOGIST).is_empty()
    whole = rows.filter((pl.col("group_id") == course[0]) & (pl.col("subject_id") == course[1]))
    assert forecast_data.pace(ver, whole, METHODOLOGIST).height == 1  # a whole class is shown
