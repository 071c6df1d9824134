"""Учителя: one scorecard per teacher with every compliance component, and the lessons and marks behind
each number (drill-down: the same metric, narrowed to the teacher)."""

from __future__ import annotations

import dataclasses

import polars as pl
import streamlit as st

from dashboard import context, data, fmt, ui
from etl.norms import load_norms
from queries.scorecard import TEACHER_FINDINGS, with_finding_titles

ctx = context.current()
ui.heading(ctx, "Учителя", "Карта учителя: нагрузка, доля записей в срок и число нарушений по каждому пункту. "
           "Выберите учителя и показатель, чтобы увидеть уроки, отметки и даты за числом.")
card = data.scorecard(ctx.ver, ctx.scope, ctx.access)
info = data.metric_infos()
ui.table(ctx, with_finding_titles(card, load_norms()), "scorecard", "Карты учителей",
         empty="В выбранном срезе нет уроков учителей.")
if card.is_empty():
    st.stop()

names = fmt.name_maps(ctx.lk)["teacher_id"]
st.subheader("Подробно по учителю")
teacher = st.selectbox("Учитель", card["teacher_id"].to_list(), format_func=lambda t: names.get(t, t),
                       key="drill_teacher")
row = card.filter(pl.col("teacher_id") == teacher).row(0, named=True)
c1, c2, c3, c4, c5 = st.columns(5)
ui.tile(c1, "Проведено уроков", fmt.number(row["lessons_held"]))
ui.tile(c2, "Отметки в срок", fmt.share(row["mark_in_time_share"]))
ui.tile(c3, "Темы в срок", fmt.share(row["topic_in_time_share"]))
ui.tile(c4, "Посещаемость в срок", fmt.share(row["attendance_in_time_share"]))
ui.tile(c5, "ДЗ в срок", fmt.share(row["homework_in_time_share"]))

components = [n for n in TEACHER_FINDINGS if row[n] > 0] or list(TEACHER_FINDINGS)
component = st.selectbox(
    "Показатель", components, key="drill_metric",
    format_func=lambda n: f"{info[n].title} — {fmt.number(row[n])}")
teacher_scope = dataclasses.replace(ctx.scope, teacher_id=teacher)
detail = data.metric(ctx.ver, component, teacher_scope, ctx.access).filter(pl.col("teacher_id") == teacher)
st.caption(f"{info[component].description} Основание: {info[component].basis}.")
ui.table(ctx, detail, f"drill_{component}", f"{info[component].title}: {names.get(teacher, teacher)}")

st.subheader("График оценочных процедур")
st.markdown("Оценочные процедуры — уроки с отметками за контрольные работы (виды работ, отмеченные как "
            "контрольные), по классу или группе и предмету; сдвоенный урок — одна процедура. Ниже — нарушения "
            "рекомендаций Минпросвещения России и Рособрнадзора и весь график выбранного среза.")
for name in ("assessment_too_frequent", "assessment_share_high", "assessment_day_edge"):
    ui.table(ctx, data.metric(ctx.ver, name, ctx.scope, ctx.access), name, info[name].title)
    st.caption(f"{info[name].description} Основание: {info[name].basis}.")
ui.table(ctx, data.metric(ctx.ver, "assessment_schedule", ctx.scope, ctx.access), "assessment_schedule",
         info["assessment_schedule"].title, empty="В выбранном срезе оценочных процедур нет.")
