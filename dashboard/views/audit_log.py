"""Журнал действий: the append-only audit log (logins, pages with filters, downloads, documents, loads,
account changes), newest first, with XLSX/CSV export (each export is itself logged)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from access import audit
from access.store import open_store
from dashboard import auth, context, ui

user = st.session_state[auth.USER]
ctx = st.session_state.get("_ctx") or context.admin_context(None, user.access)
st.title("Журнал действий")
st.caption("Записи только добавляются: изменить или удалить их нельзя.")
with open_store(auth.store_path()) as con:
    log = audit.entries(con)
actions = st.multiselect("Действия", sorted(audit.ACTIONS.values()), key="audit_actions", placeholder="Все действия")
login = st.text_input("Логин", key="audit_login")
shown = log
if actions:
    shown = shown.filter(pl.col("action_name").is_in(actions))
if login.strip():
    shown = shown.filter(pl.col("login") == login.strip())
ui.table(ctx, shown.select("id", "at", "login", pl.col("action_name").alias("action"), "detail")
         .rename({"id": "№", "at": "Когда", "login": "Логин", "action": "Действие", "detail": "Подробности"}),
         "audit_log", "Записи журнала", empty="Записей нет.")
