"""Single sign-on (Streamlit OIDC, mocked through AppTest's `user` and `secrets`): a mapped identity gets
exactly its account's pages and rows, an unmapped or disabled one gets no data and a plain message."""

from __future__ import annotations

import os

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from access import accounts, audit
from access.store import open_store
from tests.access_fixtures import CLASS_5A, SCHOOL, real_school  # noqa: F401  (fixture)
from tests.dashboard_fixtures import APP, clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.test_access_deck import ALL_PAGES, EXPECTED_PAGES, downloads, registered

pytestmark = pytest.mark.slow
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "zavuch", "client_secret": "x",
        "server_metadata_url": "https://idp.school.example/.well-known/openid-configuration"}
TEACHER_EMAIL = "smirnova@school.example"
DISABLED_EMAIL = "former@school.example"
STRANGER_EMAIL = "stranger@example.org"


@pytest.fixture(scope="module")
def sso_school(real_school):  # noqa: F811
    with open_store(real_school.store) as con:
        accounts.add(con, "kl5a_sso", "Смирнова Н. А.", "class_teacher", None, by="test", school_ids=[SCHOOL],
                     class_ids=[CLASS_5A], oidc_subject=TEACHER_EMAIL)
        accounts.add(con, "former", "Бывший сотрудник", "deputy", None, by="test", school_ids=[SCHOOL],
                     oidc_subject=DISABLED_EMAIL)
        accounts.set_disabled(con, "former", True, by="test")
    return real_school


def signed_on(db, email: str) -> AppTest:
    os.environ["ZAVUCH_DB"] = str(db)
    os.environ.pop("ZAVUCH_ACCESS_DB", None)
    at = AppTest.from_file(APP, default_timeout=240)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "sub": f"sub-{email}"}
    at.run()
    return at


def _log(store) -> pl.DataFrame:
    with open_store(store) as con:
        return audit.entries(con)


def test_mapped_identity_gets_its_accounts_pages_and_scope(sso_school):
    at = signed_on(sso_school.db, TEACHER_EMAIL)
    assert not at.exception and [t.value for t in at.title] == ["Обзор"]
    assert [p for p in ALL_PAGES if registered(at, p)] == EXPECTED_PAGES["class_teacher"]
    at = signed_on(sso_school.db, TEACHER_EMAIL)
    assert at.selectbox(key="f_class").options == ["Все классы", "5А"]
    at.switch_page("views/timeliness.py").run()
    assert not at.exception
    late = downloads(at)["mark_late"]
    assert late.height > 0 and set(late["Класс"]) == {"5А"}
    ok = _log(sso_school.store).filter(pl.col("login") == "kl5a_sso", pl.col("action") == "login_ok")
    assert ok.height >= 1 and '"method": "oidc"' in ok["detail"][0]


@pytest.mark.parametrize(("email", "message", "reason"), [
    (STRANGER_EMAIL, "учётной записи Завуча для него нет", "oidc_unmapped"),
    (DISABLED_EMAIL, "отключена", "disabled"),
])
def test_unmapped_or_disabled_identity_gets_no_data(sso_school, email, message, reason):
    at = signed_on(sso_school.db, email)
    assert not at.exception
    assert [t.value for t in at.title] == ["Завуч — вход"]
    assert any(message in e.value and email in e.value for e in at.error)
    assert not [p for p in ALL_PAGES if registered(at, p)]
    assert not downloads(at) and "_ctx" not in at.session_state
    at.run()  # a rerun keeps refusing, and logs the refusal once per session
    assert [t.value for t in at.title] == ["Завуч — вход"]
    failed = _log(sso_school.store).filter(pl.col("login") == email, pl.col("action") == "login_failed")
    assert failed.height == 1 and f'"reason": "{reason}"' in failed["detail"][0]


def test_logout_ends_the_single_sign_on_too(sso_school):
    at = signed_on(sso_school.db, TEACHER_EMAIL)
    assert [t.value for t in at.title] == ["Обзор"]
    at.sidebar.button(key="logout").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Завуч — вход"]
