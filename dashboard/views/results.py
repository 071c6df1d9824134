"""Успеваемость: results by class, subject, teacher and level with the change to the previous period,
the objectivity check (period mark vs weighted average) and the lists of students by category."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data, fmt, ui

DIMENSIONS = {"class": "По классам", "subject": "По предметам", "teacher": "По учителям", "level": "По уровням"}
LISTS = {"excellent": "Отличники", "one_three": "Резерв: с одной «3»", "failing": "Неуспевающие",
         "not_attested": "Не аттестованы (н/а)"}

ctx = context.current()
ui.heading(ctx, "Успеваемость", "Успеваемость, качество знаний и СОУ по отметкам за период (регламент ведения ЭЖ, п. 2.15), "
           "изменение к прошлому периоду, объективность отметок за период.")
results = data.metric(ctx.ver, "results_summary", ctx.scope, ctx.access)
if results.is_empty():
    st.info("В выбранном срезе нет отметок за период: выберите семестр или полугодие, которое уже закончилось.")
    st.stop()
ui.period_not_ended_note(ctx)

school = results.filter(pl.col("dimension") == "school")
if school.height == 1:
    s = school.row(0, named=True)
    c1, c2, c3, c4 = st.columns(4)
    ui.tile(c1, "Успеваемость", fmt.percent(s["success_pct"]), fmt.points(s["success_change"]))
    ui.tile(c2, "Качество знаний", fmt.percent(s["quality_pct"]), fmt.points(s["quality_change"]))
    ui.tile(c3, "СОУ", fmt.percent(s["sou_pct"]), fmt.points(s["sou_change"]))
    ui.tile(c4, "Средняя отметка за период", fmt.number(s["avg_period_mark"], 2))

dimension = st.radio("Разрез", list(DIMENSIONS), format_func=DIMENSIONS.get, horizontal=True, key="res_dim")
cut = results.filter(pl.col("dimension") == dimension)
maps = fmt.name_maps(ctx.lk)
key_names = {"class": maps["class_id"], "subject": maps["subject_id"], "teacher": maps["teacher_id"],
             "level": context.LEVEL_TITLES}[dimension]
name = pl.col("key").replace(key_names)
if cut["period_id"].n_unique() > 1:  # «Свои даты» over two semesters: 5А of each is its own bar, not one on the other
    name = name + pl.lit(" — ") + pl.col("period_id").replace(maps["period_id"])
if cut.height:
    chart = cut.with_columns(name.alias("name")).unpivot(
        index="name", on=["success_pct", "quality_pct", "sou_pct"]).with_columns(
        pl.col("variable").replace({"success_pct": "Успеваемость", "quality_pct": "Качество", "sou_pct": "СОУ"}))
    ui.bar(chart, "name", "value", f"Результаты периода: {DIMENSIONS[dimension].lower()}",
           {"class": "Класс", "subject": "Предмет", "teacher": "Учитель", "level": "Уровень"}[dimension], "%",
           f"res_{dimension}", color="variable", horizontal=dimension in ("subject", "teacher"))
ui.table(ctx, cut.with_columns(pl.col("key").replace(key_names)), f"results_{dimension}", DIMENSIONS[dimension],
         drop=("dimension",))

ui.table(ctx, data.metric(ctx.ver, "period_mark_mismatch", ctx.scope, ctx.access), "period_mark_mismatch",
         "Объективность: отметка за период не соответствует средневзвешенному",
         empty="Все отметки за период соответствуют средневзвешенному баллу.")
ui.table(ctx, data.metric(ctx.ver, "period_mark_basis_changed", ctx.scope, ctx.access), "period_mark_basis_changed",
         "Объективность: отметки внесены, изменены или удалены после отметки за период",
         empty="После выставления отметок за период средневзвешенный ни у кого не стал округляться иначе.")

categories = data.metric(ctx.ver, "student_categories", ctx.scope, ctx.access)
st.subheader("Списки учеников")
tabs = st.tabs(list(LISTS.values()))
for tab, (category, title) in zip(tabs, LISTS.items(), strict=True):
    with tab:
        ui.table(ctx, categories.filter(pl.col("category") == category), f"students_{category}", title,
                 empty="Таких учеников нет.")
