"""The deck under access control (AppTest): login and logout, expiry, the role × page × download matrix,
no student surname for a methodologist, inert journal text, and the audit entries of what users do."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import time

import duckdb
import polars as pl
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from access import accounts, audit
from access.store import open_store
from dashboard import auth
from tests.access_fixtures import (  # noqa: F401  (fixture)
    CLASS_5A, PAIR, PASSWORD, ROLE_ACCOUNTS, SCHOOL, make_real_school, real_school, student_surnames,
)
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.slow
ANALYSIS = ["overview", "timeliness", "homework", "attendance", "teachers", "results", "forecast",
            "documents"]
EXPECTED_PAGES = {
    "director": ANALYSIS + ["warehouse", "audit_log", "archive"],
    "deputy": ANALYSIS + ["warehouse"],
    "methodologist": ANALYSIS,
    "class_teacher": ANALYSIS,
    "subject_teacher": ANALYSIS,
    "it_admin": ["warehouse", "accounts", "audit_log", "archive"],
}
ALL_PAGES = ANALYSIS + ["warehouse", "accounts", "audit_log", "archive"]


def open_deck(db) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    os.environ.pop("ZAVUCH_ACCESS_DB", None)
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    return at


def login(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


def downloads(at: AppTest) -> dict[str, pl.DataFrame]:
    return dict(at.session_state["_downloads"]) if "_downloads" in at.session_state else {}


def registered(at: AppTest, page: str) -> bool:
    try:
        at.switch_page(f"views/{page}.py")
    except ValueError:  # never registered for this role: no URL reaches it (stack-notes §1.1)
        return False
    return True


def test_real_data_needs_a_login_and_wrong_password_is_refused(real_school):  # noqa: F811
    at = open_deck(real_school.db)
    assert [t.value for t in at.title] == ["Завуч — вход"]
    assert not registered(at, "overview")
    login(at, "director", "неверный-пароль-1")
    assert any("Неверный логин или пароль" in e.value for e in at.error)
    login(at, "director")
    assert not at.exception and [t.value for t in at.title] == ["Обзор"]
    at.sidebar.button(key="logout").click().run()
    assert [t.value for t in at.title] == ["Завуч — вход"]
    with open_store(real_school.store) as con:
        log = audit.entries(con)
    mine = log.filter(pl.col("login") == "director")["action"].to_list()[::-1]
    assert mine[-4:] == ["login_failed", "login_ok", "page_view", "logout"]
    view = log.filter(pl.col("action") == "page_view", pl.col("login") == "director").row(0, named=True)
    assert '"page": "Обзор"' in view["detail"] and '"period"' in view["detail"]


def test_session_expires_after_inactivity(real_school):  # noqa: F811
    at = login(open_deck(real_school.db), "deputy")
    assert [t.value for t in at.title] == ["Обзор"]
    at.session_state[auth.LAST_ACTIVE] = time.time() - 31 * 60  # norms: access.session_idle_minutes = 30
    at.run()
    assert [t.value for t in at.title] == ["Завуч — вход"]
    assert any("после бездействия" in i.value for i in at.info)


def _own_account(store, login: str) -> None:
    """An account of the test's own: the module's accounts serve the other tests unchanged."""
    with open_store(store) as con:
        accounts.add(con, login, "Проверка С. С.", "deputy", PASSWORD, by="cli", school_ids=[SCHOOL])


def test_disabling_an_account_ends_its_open_session(real_school):  # noqa: F811
    """`zavuch user disable` left a signed-in session working with its old rights for as long as it was kept
    busy: the session kept the account as read at login."""
    _own_account(real_school.store, "leaver")
    at = login(open_deck(real_school.db), "leaver")
    assert [t.value for t in at.title] == ["Обзор"]
    with open_store(real_school.store) as con:
        accounts.set_disabled(con, "leaver", True, by="cli")
    at.run()
    assert [t.value for t in at.title] == ["Завуч — вход"]
    assert any("Учётная запись отключена или удалена; сеанс завершён" in i.value for i in at.info)
    with open_store(real_school.store) as con:
        log = audit.entries(con)
    assert log.filter(pl.col("login") == "leaver")["action"].to_list()[0] == "session_revoked"



def test_a_password_reset_ends_the_open_session(real_school):  # noqa: F811
    """After a compromise the IT admin resets the password; the session opened with the old one kept working
    for as long as it was kept busy."""
    _own_account(real_school.store, "stolen")
    at = login(open_deck(real_school.db), "stolen")
    assert [t.value for t in at.title] == ["Обзор"]
    with open_store(real_school.store) as con:
        accounts.reset_password(con, "stolen", "Новый-пароль-12345", by="cli")
    at.run()
    assert [t.value for t in at.title] == ["Завуч — вход"]
    assert any("Пароль учётной записи изменён; сеанс завершён" in i.value for i in at.info)
    with open_store(real_school.store) as con:
        assert audit.entries(con).filter(pl.col("login") == "stolen")["action"].to_list()[0] == "password_changed"
    login(at, "stolen", "Новый-пароль-12345")
    at.run()
    assert [t.value for t in at.title] == ["Обзор"]


def test_a_rehash_at_login_keeps_that_session(real_school):  # noqa: F811
    """A hash made with weaker parameters is renewed at the login that proves the password: not a reset."""
    _own_account(real_school.store, "oldhash")
    with open_store(real_school.store) as con:
        weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(PASSWORD)
        con.execute("UPDATE accounts SET password_hash = ? WHERE login = 'oldhash'", (weak,))
    at = login(open_deck(real_school.db), "oldhash")
    with open_store(real_school.store) as con:
        assert con.execute("SELECT password_hash FROM accounts WHERE login = 'oldhash'").fetchone()[0] != weak
    at.run()
    assert [t.value for t in at.title] == ["Обзор"]

def test_a_narrowed_grant_applies_at_the_next_click(real_school):  # noqa: F811
    _own_account(real_school.store, "narrowed")
    at = login(open_deck(real_school.db), "narrowed")
    assert at.session_state[auth.USER].role == "deputy" and registered(at, "warehouse")
    with open_store(real_school.store) as con:
        accounts.grant(con, "narrowed", "class_teacher", by="cli", school_ids=[SCHOOL], class_ids=[CLASS_5A])
    at.run()
    user = at.session_state[auth.USER]
    assert (user.role, user.access.class_ids) == ("class_teacher", frozenset({CLASS_5A}))
    assert not registered(at, "warehouse")


def _visit_all(at: AppTest, pages: list[str]) -> dict[str, pl.DataFrame]:
    frames: dict[str, pl.DataFrame] = {}
    for page in pages:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        frames.update({f"{page}:{k}": v for k, v in downloads(at).items()})
    return frames


@pytest.mark.parametrize("role", list(EXPECTED_PAGES))
def test_role_page_download_matrix(real_school, role):  # noqa: F811
    at = login(open_deck(real_school.db), role)
    assert not at.exception
    assert [p for p in ALL_PAGES if registered(at, p)] == EXPECTED_PAGES[role]
    at = login(open_deck(real_school.db), role)  # registered() switched pages without running them
    frames = _visit_all(at, EXPECTED_PAGES[role])
    con = duckdb.connect(str(real_school.db), read_only=True)
    try:
        groups = dict(con.execute("SELECT id, name FROM groups").fetchall())
        subjects = dict(con.execute("SELECT id, name FROM subjects").fetchall())
        own_ids = {r[0] for r in con.execute("SELECT id FROM groups WHERE id = ? OR parent_group_id = ?",
                                             [CLASS_5A, CLASS_5A]).fetchall()}
        own = {groups[i] for i in own_ids}
    finally:
        con.close()
    if role == "it_admin":
        assert "f_school" not in at.session_state  # no filters, no names: loads, not student data
        assert not any(k.startswith(("overview", "results")) for k in frames)
        assert frames["warehouse:rejected_rows"].is_empty() if "warehouse:rejected_rows" in frames else True
        return
    if role in ("class_teacher", "subject_teacher"):
        assert at.selectbox(key="f_class").options == ["Все классы", "5А"]
        for key, frame in frames.items():
            for col in ("Класс", "Группа"):
                if col in frame.columns:
                    assert set(frame[col].drop_nulls()) <= own, (key, col)
            if role == "subject_teacher" and "Предмет" in frame.columns:
                assert set(frame["Предмет"].drop_nulls()) <= {subjects[PAIR[1]]}, key
        assert frames["timeliness:mark_late"].height > 0
    else:
        classes = set().union(*(set(f["Класс"].drop_nulls()) for f in frames.values() if "Класс" in f.columns))
        assert len(classes) > 10  # the whole school


def test_a_url_cannot_open_another_class(real_school):  # noqa: F811
    os.environ["ZAVUCH_DB"] = str(real_school.db)
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["class"] = "s001-g034"  # 5Б: not this class teacher's
    at.run()
    login(at, "class_teacher")
    at.switch_page("views/timeliness.py").run()
    assert not at.exception
    assert at.selectbox(key="f_class").value in (None, CLASS_5A)
    assert set(downloads(at)["mark_late"]["Класс"]) <= {"5А"}


def test_a_class_teachers_heading_names_their_class_under_all_classes(real_school):  # noqa: F811
    """With «Все классы» (the default) a class teacher's pages read «2 семестр …» as if about the school."""
    at = login(open_deck(real_school.db), "class_teacher")
    at.switch_page("views/timeliness.py").run()
    assert at.selectbox(key="f_class").value is None
    assert at.caption[0].value.endswith(" · 5А"), at.caption[0].value


def test_methodologist_sees_no_student_surname(real_school):  # noqa: F811
    surnames = student_surnames(real_school.db)
    at = login(open_deck(real_school.db), "methodologist")
    frames = _visit_all(at, ANALYSIS)
    text = [str(v) for f in frames.values() for c in f.columns if f.schema[c] == pl.String for v in f[c].drop_nulls()]
    text += [e.value for e in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    text += [str(o) for s in at.selectbox for o in s.options]
    blob = "\n".join(text)
    assert "Ученик " in blob  # students are there, under pseudonyms
    assert not [s for s in surnames if re.search(rf"\b{re.escape(s)}\b", blob)]


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_journal_text_renders_inert(demo_school, tmp_path):
    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE homework SET text = ?", [XSS])
    con.execute("UPDATE lessons SET topic = ?, topic_entered_at = lesson_date + INTERVAL 3 DAY, "
                "topic_entered_at_precision = 'minute' WHERE id IN (SELECT id FROM lessons WHERE group_id = ? "
                "AND status = 'held' ORDER BY lesson_date, id LIMIT 5)", [XSS, CLASS_5A])
    con.execute("UPDATE groups SET name = name || ' [x](javascript:alert(1)) <b>' WHERE id = ?", [CLASS_5A])
    con.close()
    os.environ["ZAVUCH_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["class"] = CLASS_5A
    at.query_params["period"] = "s001-per-s1"
    at.run()
    at.switch_page("views/timeliness.py").run()
    assert not at.exception
    caption = at.caption[0].value
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>" in caption  # escaped, shown as typed
    for element in (*at.markdown, *at.caption, *at.subheader, *at.title):
        assert "<script" not in element.value and "](javascript" not in element.value
        assert not getattr(element.proto, "allow_html", False)
    topics = downloads(at)["topic_late"]["Тема"].to_list()
    assert XSS in topics  # the table shows the text itself


def test_demo_runs_without_login_with_a_banner(demo_school, tmp_path):
    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_school.db, db)
    at = open_deck(db)
    assert not at.exception and [t.value for t in at.title] == ["Обзор"]
    assert any("Демонстрационный режим" in w.value for w in at.warning)


def test_downloads_and_loads_are_audited(real_school):  # noqa: F811
    at = login(open_deck(real_school.db), "it_admin")
    at.switch_page("views/warehouse.py").run()
    at.get("file_uploader")[0].upload("bundle.zip", b"not a zip at all", "application/zip")
    at.button(key="FormSubmitter:upload-Загрузить").click().run()
    assert any("Пакет не загружен" in e.value for e in at.error)
    at = login(open_deck(real_school.db), "deputy")
    at.switch_page("views/timeliness.py").run()
    button = at.get("download_button")[0]
    button.click().run()
    assert not at.exception
    with open_store(real_school.store) as con:
        log = audit.entries(con)
    loads = log.filter(pl.col("action") == "load", pl.col("login") == "it_admin")
    assert loads.height >= 1 and '"result": "refused"' in loads["detail"][0]
    taken = log.filter(pl.col("action") == "download", pl.col("login") == "deputy")
    assert taken.height == 1 and '"file": "timeliness_by_teacher.xlsx"' in taken["detail"][0]


def test_the_audit_filter_has_a_russian_placeholder(real_school):  # noqa: F811
    """The empty «Действия» filter of «Журнал действий» read Streamlit's English «Choose options»."""
    at = login(open_deck(real_school.db), "director")
    at.switch_page("views/audit_log.py").run()
    assert not at.exception
    assert at.multiselect(key="audit_actions").placeholder == "Все действия"


def test_tables_offer_no_unaudited_export_even_under_streamlit_run(real_school):  # noqa: F811
    """`streamlit run dashboard/app.py` (the documented alternative to `zavuch serve`) left every table's own
    «Download as CSV»: a class list taken past the audit log of downloads."""
    from streamlit import config
    config.set_option("client.disableDataExport", False)  # Streamlit's default, as `streamlit run` starts
    login(open_deck(real_school.db), "class_teacher")
    assert config.get_option("client.disableDataExport") is True


CLASS_5B = "s001-g034"


@pytest.fixture(scope="module")
def tiny_real_school(demo_school, tmp_path_factory):
    """The demo school with 5Б cut down to two students (the others left), made real, with the accounts."""
    folder = tmp_path_factory.mktemp("tiny")
    tiny = folder / "tiny.duckdb"
    shutil.copy(demo_school.db, tiny)
    rw = duckdb.connect(str(tiny))
    try:
        leavers = [r[0] for r in rw.execute("SELECT DISTINCT student_id FROM memberships WHERE group_id = ? "
                                            "ORDER BY student_id OFFSET 2", [CLASS_5B]).fetchall()]
        for table in ("marks", "attendance", "final_marks", "memberships"):
            rw.execute(f"DELETE FROM {table} WHERE student_id IN (SELECT unnest(?))", [leavers])
    finally:
        rw.close()
    return make_real_school(dataclasses.replace(demo_school, db=tiny), folder / "real")


def test_a_methodologist_link_to_a_class_of_two_shows_no_figures(tiny_real_school):
    """A link naming a class of two opened every page on that class: key figures, attendance by week and
    the справка all described two children. The deck now says why the slice is not shown."""
    os.environ["ZAVUCH_DB"] = str(tiny_real_school.db)
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["class"] = CLASS_5B
    at.run()
    login(at, "methodologist")
    for page in ("overview", "attendance", "documents"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception
        shown = [w.value for w in at.warning]
        assert [w for w in shown if w.startswith("Срез не показывается: в выбранном срезе 2 ученика")], shown
        assert not at.dataframe and not at.get("download_button") and not at.metric, page


def test_the_forecast_by_class_hides_a_class_of_two_from_a_methodologist(tiny_real_school):
    """«Прогноз по классам» was computed on the page from the student rows, past the small-group rule: 5Б's
    expected успеваемость and качество described its two children."""
    frames = {}
    for role in ("deputy", "methodologist"):
        at = login(open_deck(tiny_real_school.db), role)
        at.switch_page("views/forecast.py").run()
        assert not at.exception
        frames[role] = downloads(at)["forecast_classes"]
    named = frames["deputy"].filter(pl.col("Класс") == "5Б")
    assert named.height == 1 and named["Учеников"][0] == 2  # the check can fail
    classes = set(frames["methodologist"]["Класс"])
    assert "5Б" not in classes and frames["methodologist"]["Учеников"].min() >= 5
    assert len(classes) == frames["deputy"].height - 1  # the other classes stay
