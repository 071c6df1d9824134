"""Завуч control deck: the entrypoint. Login, then the pages the user's role may open (st.navigation),
sidebar filters, and the chosen page.

Pages a role may not open are never registered (stack-notes §1.1), so no URL reaches them; the rows
each page shows are limited again by the query layer (queries.access). Run with `zavuch serve` (or
`streamlit run dashboard/app.py`); the warehouse is $ZAVUCH_DB.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, context, data

st.set_page_config(page_title="Завуч — контроль ЭЖ", page_icon=":material/menu_book:", layout="wide")
# No table's own «Download as CSV» (an unaudited download) even when the deck is started with `streamlit run`
# instead of `zavuch serve` (which passes --client.disableDataExport=true): audited downloads are in ui.table.
st.set_option("client.disableDataExport", True)

ANALYSIS = {
    "overview": st.Page("views/overview.py", title="Обзор", icon=":material/dashboard:", url_path="overview",
                        default=True),
    "timeliness": st.Page("views/timeliness.py", title="Своевременность", icon=":material/schedule:",
                          url_path="timeliness"),
    "homework": st.Page("views/homework.py", title="Домашние задания", icon=":material/assignment:",
                        url_path="homework"),
    "attendance": st.Page("views/attendance.py", title="Посещаемость", icon=":material/event_available:",
                          url_path="attendance"),
    "teachers": st.Page("views/teachers.py", title="Учителя", icon=":material/badge:", url_path="teachers"),
    "results": st.Page("views/results.py", title="Успеваемость", icon=":material/school:", url_path="results"),
    "forecast": st.Page("views/forecast.py", title="Прогноз", icon=":material/trending_up:", url_path="forecast"),
    "documents": st.Page("views/documents.py", title="Справки", icon=":material/description:", url_path="documents"),
}
ADMIN = {
    "data": lambda default=False: st.Page("views/warehouse.py", title="Данные", icon=":material/database:",
                                          url_path="data", default=default),
    "accounts": lambda default=False: st.Page("views/accounts.py", title="Учётные записи",
                                              icon=":material/manage_accounts:", url_path="accounts", default=default),
    "audit": lambda default=False: st.Page("views/audit_log.py", title="Журнал действий", icon=":material/history:",
                                           url_path="audit", default=default),
    "archive": lambda default=False: st.Page("views/archive.py", title="Архив года", icon=":material/inventory_2:",
                                             url_path="archive", default=default),
}
# What each role may open: IT administrators get loads, accounts, the log and the archive, never student data;
# the director also gets the year archive (issue 9: director or IT administrator).
ROLE_PAGES: dict[str, tuple[list[str], list[str]]] = {
    "demo": (list(ANALYSIS), ["data"]),
    "director": (list(ANALYSIS), ["data", "audit", "archive"]),
    "deputy": (list(ANALYSIS), ["data"]),
    "methodologist": (list(ANALYSIS), []),
    "class_teacher": (list(ANALYSIS), []),
    "subject_teacher": (list(ANALYSIS), []),
    "it_admin": ([], ["data", "accounts", "audit", "archive"]),
}


def pages_for(role: str) -> list[st.Page]:
    analysis, admin = ROLE_PAGES[role]
    return [ANALYSIS[p] for p in analysis] + [ADMIN[p](default=not analysis and i == 0) for i, p in enumerate(admin)]


def login_pages() -> list[st.Page]:
    """The login form at every page's address: a shared link or a reload (sessions have no cookie) opens
    the form instead of Streamlit's English «Page not found», and the login's rerun lands on the page the
    link names — or, silently, on the role's first page when the role may not open it."""
    return [st.Page(auth.login_page, title="Вход", icon=":material/login:", url_path=path, default=i == 0)
            for i, path in enumerate([*ANALYSIS, *ADMIN, "login"])]


ver = data.current_version()
user = auth.current_user(ver)
if user is None:
    st.navigation(login_pages(), position="hidden").run()
    st.stop()
page = st.navigation(pages_for("demo" if user.is_demo else user.role))
auth.sidebar_badge(user)
if ver is not None and user.access.sees_student_data:
    st.session_state["_ctx"] = context.sidebar(ver, user.access)
elif ver is not None:
    st.session_state["_ctx"] = context.admin_context(ver, user.access)
else:
    st.session_state["_ctx"] = None
context.audit_view(page.title)
page.run()
