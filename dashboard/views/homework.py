"""Домашние задания: missing and late homework by teacher and class, posted in advance, daily load."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data, fmt, ui

ctx = context.current()
ui.heading(ctx, "Домашние задания", "ДЗ вносится в день урока, лучше заранее (регламент ведения ЭЖ, п. 2.7); дневная "
           "нагрузка — в пределах СанПиН 1.2.3685-21, табл. 6.6.")
missing = data.metric(ctx.ver, "homework_missing", ctx.scope, ctx.access)
late = data.metric(ctx.ver, "homework_late", ctx.scope, ctx.access)
advance = data.metric(ctx.ver, "homework_in_advance", ctx.scope, ctx.access)
load = data.metric(ctx.ver, "homework_load", ctx.scope, ctx.access)
figures = data.key_figures(ctx.ver, ctx.scope, ctx.access)
homework = figures.filter(pl.col("key") == "homework").row(0, named=True)

c1, c2, c3, c4 = st.columns(4)
ui.tile(c1, "Уроки с ДЗ", fmt.share(homework["value"]))
ui.tile(c2, "Уроков без ДЗ", fmt.number(missing.height))
ui.tile(c3, "ДЗ внесено позже срока", fmt.number(late.height), help_text=data.metric_infos()["homework_late"].title)
ui.tile(c4, "ДЗ размещено заранее", fmt.number(advance.height))

over = load.filter(pl.col("over_limit"))
if load.height:
    names = fmt.name_maps(ctx.lk)["class_id"]
    ui.heatmap(load.with_columns(pl.col("class_id").replace(names).alias("class")),
               "event_date", "class", "tasks", "Класс × день: число домашних заданий к этому дню", "День",
               "Класс", "Заданий", "hw_load_heat", reverse=True)

ui.table(ctx, missing, "homework_missing", "Уроки без домашнего задания")
ui.table(ctx, late, "homework_late", data.metric_infos()["homework_late"].title)
ui.table(ctx, over, "homework_over_limit", "Дни, когда нагрузка ДЗ выше предела СанПиН",
         empty="Превышений нагрузки (где указано время выполнения) нет.")
ui.table(ctx, load, "homework_load", "Дневная нагрузка ДЗ по классам", empty=ui.NO_ROWS)
ui.table(ctx, advance, "homework_in_advance", "ДЗ, размещённое заранее", empty="Заранее ДЗ не размещалось.")
