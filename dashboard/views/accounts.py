"""Учётные записи (IT administrator): list, create, disable, reset a password, change role and scope.
The same functions as `zavuch user`, each change written to the audit log with who made it."""

from __future__ import annotations

import polars as pl
import streamlit as st

from access import accounts
from access.store import open_store
from dashboard import auth, context, ui
from queries.access import ROLES

user = st.session_state[auth.USER]
ctx = st.session_state.get("_ctx") or context.admin_context(None, user.access)
st.title("Учётные записи")


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for item in _list(text):
        group, sep, subject = item.partition(":")
        if not sep or not group or not subject:
            raise accounts.AccountError(f"«{item}»: пара записывается как КЛАСС:ПРЕДМЕТ (коды из хранилища)")
        out.append((group, subject))
    return out


def _scope_fields(prefix: str) -> tuple[list[str] | None, list[str], list[tuple[str, str]]]:
    schools = st.text_input("Школы (коды через запятую; пусто — все)", key=f"{prefix}_schools")
    classes = st.text_input("Классы классного руководителя (коды через запятую)", key=f"{prefix}_classes")
    pairs = st.text_input("Пары класс:предмет учителя-предметника (через запятую)", key=f"{prefix}_pairs")
    return _list(schools) or None, _list(classes), _pairs(pairs)


with open_store(auth.store_path()) as con:
    rows = accounts.all_accounts(con)
table = pl.DataFrame([{"login": a.login, "name": a.full_name, "role": ROLES.get(a.role, a.role),
                       "schools": ", ".join(a.school_ids) if a.school_ids else "все",
                       "classes": ", ".join(a.class_ids), "pairs": ", ".join(f"{g}:{s}" for g, s in a.pairs),
                       "disabled": a.disabled} for a in rows],
                     schema={"login": pl.String, "name": pl.String, "role": pl.String, "schools": pl.String,
                             "classes": pl.String, "pairs": pl.String, "disabled": pl.Boolean})
ui.table(ctx, table.rename({"login": "Логин", "name": "ФИО", "role": "Роль", "schools": "Школы",
                            "classes": "Классы", "pairs": "Пары", "disabled": "Отключена"}),
         "accounts", "Учётные записи", empty="Учётных записей нет.")

tab_add, tab_change = st.tabs(["Создать", "Изменить"])
with tab_add, st.form("account_add", clear_on_submit=True):
    login = st.text_input("Логин", key="add_login")
    name = st.text_input("ФИО", key="add_name")
    role = st.selectbox("Роль", list(ROLES), format_func=ROLES.get, key="add_role")
    try:
        schools, classes, pairs = _scope_fields("add")
        error = None
    except accounts.AccountError as e:
        schools, classes, pairs, error = None, [], [], str(e)
    password = st.text_input("Пароль", type="password", key="add_password")
    again = st.text_input("Пароль ещё раз", type="password", key="add_again")
    if st.form_submit_button("Создать"):
        if error or password != again:
            st.error(error or "Пароли не совпадают.")
        else:
            try:
                with open_store(auth.store_path()) as con:
                    accounts.add(con, login, name, role, password, by=user.login, school_ids=schools,
                                 class_ids=classes, pairs=pairs)
                st.success(f"Учётная запись «{login}» создана.")
            except accounts.AccountError as e:
                st.error(str(e))

with tab_change:
    logins = [a.login for a in rows]
    if not logins:
        st.info("Учётных записей нет.")
        st.stop()
    target = st.selectbox("Учётная запись", logins, key="change_login")
    current = next(a for a in rows if a.login == target)
    left, right = st.columns(2)
    if left.button("Включить" if current.disabled else "Отключить", key="toggle"):
        with open_store(auth.store_path()) as con:
            accounts.set_disabled(con, target, not current.disabled, by=user.login)
        st.rerun()
    with st.form("account_password", clear_on_submit=True):
        new = st.text_input("Новый пароль", type="password", key="reset_password")
        if st.form_submit_button("Сменить пароль"):
            try:
                with open_store(auth.store_path()) as con:
                    accounts.reset_password(con, target, new, by=user.login)
                st.success("Пароль изменён.")
            except accounts.AccountError as e:
                st.error(str(e))
    with st.form("account_grant"):
        role = st.selectbox("Роль", list(ROLES), format_func=ROLES.get, key="grant_role",
                            index=list(ROLES).index(current.role))
        try:
            schools, classes, pairs = _scope_fields("grant")
            error = None
        except accounts.AccountError as e:
            schools, classes, pairs, error = None, [], [], str(e)
        if st.form_submit_button("Изменить права"):
            try:
                if error:
                    raise accounts.AccountError(error)
                with open_store(auth.store_path()) as con:
                    accounts.grant(con, target, role, by=user.login, school_ids=schools, class_ids=classes,
                                   pairs=pairs)
                st.success("Права изменены. Они действуют со следующего входа.")
            except accounts.AccountError as e:
                st.error(str(e))
