"""Завуч control deck: the entrypoint. Sidebar filters, then the chosen page (st.navigation).

Run with `zavuch serve` (or `streamlit run dashboard/app.py`); the warehouse is $ZAVUCH_DB.
"""

from __future__ import annotations

import streamlit as st

from dashboard import context, data

st.set_page_config(page_title="Завуч — контроль ЭЖ", page_icon=":material/menu_book:", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Обзор", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/timeliness.py", title="Своевременность", icon=":material/schedule:", url_path="timeliness"),
    st.Page("views/homework.py", title="Домашние задания", icon=":material/assignment:", url_path="homework"),
    st.Page("views/attendance.py", title="Посещаемость", icon=":material/event_available:", url_path="attendance"),
    st.Page("views/teachers.py", title="Учителя", icon=":material/badge:", url_path="teachers"),
    st.Page("views/results.py", title="Успеваемость", icon=":material/school:", url_path="results"),
    st.Page("views/warehouse.py", title="Данные", icon=":material/database:", url_path="data"),
]

page = st.navigation(PAGES)
ver = data.current_version()
st.session_state["_ctx"] = context.sidebar(ver) if ver is not None else None
page.run()
