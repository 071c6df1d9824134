"""Обзор: the period's key figures for the pedagogical council, traffic lights, the largest problems."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data, fmt, ui
from etl.norms import load_norms
from queries import FAMILIES

AREA_PAGE = {"timeliness": "views/timeliness.py", "homework": "views/homework.py",
             "attendance": "views/attendance.py", "journal": "views/teachers.py", "results": "views/results.py"}
LIGHT = {light: f":{colour}-badge[{fmt.LIGHT_WORDS[light]}]" for light, colour in
         (("green", "green"), ("amber", "orange"), ("red", "red"), (None, "gray"))}
RUNNING = ":gray-badge[период не закончился]"
TOP_PROBLEMS = 6


ctx = context.current()
ui.heading(ctx, "Обзор", "Ключевые показатели периода для педагогического совета, изменение к прошлому "
           "периоду и главные нарушения.")
figures = data.key_figures(ctx.ver, ctx.scope, ctx.access)

st.subheader("Ключевые показатели")
# results of a period still running are the period marks entered so far: said in words, when there are any
running = figures.filter(pl.col("area") == "results")["value"].is_not_null().any() and ui.period_not_ended_note(ctx)
rows = list(figures.iter_rows(named=True))
for start in range(0, len(rows), 4):
    cols = st.columns(4)
    for col, r in zip(cols, rows[start:start + 4], strict=False):
        prev = f"В прошлом периоде: {fmt.figure(r['unit'], r['previous'])}" if r["previous"] is not None \
            else "За прошлый период по этому срезу данных нет."
        ui.tile(col, r["title"], fmt.figure(r["unit"], r["value"]), fmt.figure_change(r["unit"], r["change"]),
                good_up=r["key"] != "at_risk", help_text=prev)

st.subheader("Светофор по областям контроля")
overview_norms = load_norms()["overview"]
st.caption(f"Зелёный — не ниже {fmt.share(overview_norms['green_share'], 0)}, жёлтый — не ниже "
           f"{fmt.share(overview_norms['amber_share'], 0)}, красный — ниже (нормы школы, раздел [overview]).")
for r in figures.filter(pl.col("area_light")).iter_rows(named=True):
    left, right = st.columns([4, 1])
    light = RUNNING if running and r["area"] == "results" else LIGHT[r["light"]]  # no verdict on marks so far
    left.markdown(f"{light} **{FAMILIES[r['area']]}** — {r['title'].lower()}: "
                  f"{fmt.figure(r['unit'], r['value'])}")
    right.page_link(AREA_PAGE[r["area"]], label="Открыть", icon=":material/arrow_forward:")

st.subheader("Главные нарушения периода")
found = data.findings(ctx.ver, ctx.scope, ctx.access)
top = found.filter(pl.col("findings") > 0).sort("findings", descending=True).head(TOP_PROBLEMS)
if top.is_empty():
    st.success("Нарушений за выбранный период не найдено.")
for r in top.iter_rows(named=True):
    n = r["findings"]
    left, right = st.columns([4, 1])
    left.markdown(f"**{r['title']}** — {fmt.number(n)} {fmt.plural(n, 'случай', 'случая', 'случаев')} "
                  f"({r['basis']}; {FAMILIES[r['family']].lower()}).")
    right.page_link(AREA_PAGE[r["family"]], label="Подробнее", icon=":material/arrow_forward:")

ui.table(ctx, found.sort("findings", descending=True), "findings", "Все проверки периода", drop=("metric",))
