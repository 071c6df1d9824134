"""Who is using the deck: the login page (own form, argon2 through access.accounts), single sign-on
through Streamlit's OIDC login when configured, expiry after inactivity, logout, and the audit entries
of what the user does. A demo warehouse opens without a login (with a banner); real data never does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import streamlit as st

from access import accounts, audit
from access.store import open_store, pseudonym_key, resolve_store_path
from dashboard import data
from etl.norms import load_norms
from queries.access import FULL, ROLES, Access

USER = "_user"
ACCOUNT = "_account"  # the account as the session last read it: its role and scope are the user's
LAST_ACTIVE = "_last_active"
NOTICE = "_auth_notice"
SSO_REFUSED = "_sso_refused"  # (identity, message) of a refused single sign-on


@dataclass(frozen=True)
class User:
    login: str | None  # None: the open demo
    full_name: str
    role: str
    access: Access

    @property
    def is_demo(self) -> bool:
        return self.login is None


DEMO = User(None, "Демонстрация", "director", FULL)


def store_path():
    return resolve_store_path(data.db_path())


def record(action: str, **detail: Any) -> None:
    """Append an audit entry for the current user (the open demo is logged as no login)."""
    user: User | None = st.session_state.get(USER)
    with open_store(store_path()) as con:
        audit.record(con, user.login if user else None, action, **detail)


def _rules() -> dict[str, Any]:
    return load_norms()["access"]


def _user_of(account: accounts.Account) -> User:
    with open_store(store_path()) as con:
        key = pseudonym_key(con)
    return User(account.login, account.full_name, account.role, account.access(key, load_norms()))


def needs_login(ver: data.Version | None) -> bool:
    """Real data always needs a login; so does an empty warehouse once accounts exist. Only a demo
    warehouse (every batch from the demo generator), or a fresh install without accounts, is open."""
    if ver is not None:
        return data.real_data(ver)
    with open_store(store_path()) as con:
        return accounts.count(con) > 0


def _expired() -> bool:
    idle = float(_rules()["session_idle_minutes"]) * 60
    last = st.session_state.get(LAST_ACTIVE)
    return last is not None and time.time() - last > idle


def logout(reason: str = "logout") -> None:
    if st.session_state.get(USER) is not None and not st.session_state[USER].is_demo:
        record(reason)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if reason == "session_expired":
        st.session_state[NOTICE] = "Сеанс завершён после бездействия. Войдите снова."
    if reason == "session_revoked":
        st.session_state[NOTICE] = "Учётная запись отключена или удалена; сеанс завершён. Обратитесь к ИТ-администратору."
    if reason == "password_changed":
        st.session_state[NOTICE] = "Пароль учётной записи изменён; сеанс завершён. Войдите с новым паролем."


def _sign_in(account: accounts.Account) -> User:
    st.session_state[USER] = _user_of(account)
    st.session_state[ACCOUNT] = account
    st.session_state[LAST_ACTIVE] = time.time()
    return st.session_state[USER]


def _still_granted(user: User) -> User | str:
    """The session's user as the store says now: `zavuch user disable` ends an open session at its next
    click, `zavuch user reset-password` too (a reset after a compromise must shut out whoever used the old
    password), and `zavuch user grant` narrows it there, instead of at the next login (a session kept busy
    never expires). Otherwise the reason to end the session, as its audit action."""
    with open_store(store_path()) as con:
        account = accounts.get(con, user.login or "")
    if account is None or account.disabled:
        return "session_revoked"
    signed_in: accounts.Account | None = st.session_state.get(ACCOUNT)
    if signed_in is not None and account.password_stamp != signed_in.password_stamp:
        return "password_changed"
    if account != signed_in:
        return _sign_in(account)
    return user


def _sso_account() -> accounts.Account | None:
    """The account mapped to the signed-on identity (email, else sub), when Streamlit OIDC is in use.
    An unmapped or disabled identity gets no account and a plain message on the login page; the refusal
    is logged once per session."""
    try:
        if not st.user.is_logged_in:
            return None
        subject = st.user.get("email") or st.user.get("sub")
    except (AttributeError, KeyError):
        return None
    if not subject:
        return None
    subject = str(subject)
    with open_store(store_path()) as con:
        account = accounts.by_oidc_subject(con, subject)
        if account is not None and not account.disabled:
            audit.record(con, account.login, "login_ok", method="oidc")
            st.session_state.pop(SSO_REFUSED, None)
            return account
        reason = "oidc_unmapped" if account is None else "disabled"
        if st.session_state.get(SSO_REFUSED, (None,))[0] != subject:
            audit.record(con, subject, "login_failed", reason=reason, method="oidc")
    message = (f"Вход через единый вход выполнен как «{subject}», но учётной записи Завуча для него нет. "
               "Попросите ИТ-администратора создать её." if account is None else
               f"Учётная запись для «{subject}» отключена. Обратитесь к ИТ-администратору.")
    st.session_state[SSO_REFUSED] = (subject, message)
    return None


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001  (no secrets.toml at all: Streamlit raises its own error types)
        return False


def login_page() -> None:
    """The login form; on success the user is stored in the session and the app reruns."""
    st.title("Завуч — вход")
    if NOTICE in st.session_state:
        st.info(st.session_state.pop(NOTICE))
    if SSO_REFUSED in st.session_state:
        st.error(st.session_state[SSO_REFUSED][1])
        if st.button("Выйти из единого входа", key="sso_logout"):
            st.session_state.pop(SSO_REFUSED)
            st.logout()
    with open_store(store_path()) as con:
        no_accounts = accounts.count(con) == 0
    if no_accounts:
        st.warning("В хранилище настоящие данные, а учётных записей ещё нет. Создайте первого администратора "
                   "в командной строке: `zavuch user add ЛОГИН --role director --name \"Фамилия И. О.\"` "
                   "(пароль будет запрошен; пароля по умолчанию нет).")
        st.stop()
    with st.form("login"):
        login = st.text_input("Логин", key="login_name")
        password = st.text_input("Пароль", type="password", key="login_password")
        submitted = st.form_submit_button("Войти")
    if submitted:
        with open_store(store_path()) as con:
            result = accounts.authenticate(con, login.strip(), password, _rules())
        if result.account is None:
            st.error(result.message)
        else:
            _sign_in(result.account)
            st.rerun()
    if _sso_configured():
        st.divider()
        if st.button("Войти через единый вход школы"):
            st.login()


def current_user(ver: data.Version | None) -> User | None:
    """The signed-in user, the open demo user, or None (the login page must be shown)."""
    user: User | None = st.session_state.get(USER)
    if user is not None and not user.is_demo:
        if _expired():
            logout("session_expired")
            return None
        granted = _still_granted(user)
        if isinstance(granted, str):
            logout(granted)
            return None
        user = granted
        st.session_state[LAST_ACTIVE] = time.time()
        return user
    if not needs_login(ver):
        st.session_state[USER] = DEMO
        return DEMO
    st.session_state.pop(USER, None)
    account = _sso_account() if _sso_configured() else None
    if account is not None:
        return _sign_in(account)
    return None


def sidebar_badge(user: User) -> None:
    """Who is signed in, with a logout button; the demo banner for the open demo."""
    if user.is_demo:
        st.warning("Демонстрационный режим: вымышленная школа, вход не требуется. С настоящими данными Завуч "
                   "всегда просит войти.", icon=":material/science:")
        return
    st.sidebar.caption(f"{user.full_name} · {ROLES.get(user.role, user.role)}")
    if st.sidebar.button("Выйти", key="logout"):
        logout()
        if _sso_configured() and st.user.is_logged_in:
            st.logout()  # else the next run would sign the same identity on again
        st.rerun()
