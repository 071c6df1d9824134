"""Своевременность: entry lags, shares in time by teacher, subject, class and week, sprees, late marks."""

from __future__ import annotations

import polars as pl

from dashboard import context, data, fmt, ui
from etl.norms import load_norms
from queries.registry import norm_words


def _deadlines_caption(norms: dict) -> str:
    """The school's deadlines in the words of the справка and the metric descriptions (queries.registry)."""
    words = norm_words(norms)
    return (f"Сроки по нормам школы: отметки — {words['deadlines']}; {words['entry_deadlines']} "
            "(регламент ведения ЭЖ, п. 2.5–2.8; регламент электронного дневника, п. 3).")


ctx = context.current()
ui.heading(ctx, "Своевременность заполнения", _deadlines_caption(load_norms()))
summary = data.metric(ctx.ver, "timeliness_summary", ctx.scope, ctx.access)
by = data.mark_timeliness_by(ctx.ver, ctx.scope, ctx.access)
lags = data.mark_lag_distribution(ctx.ver, ctx.scope, ctx.access)

weeks = by.filter(pl.col("dimension") == "week")
if weeks.height:
    ui.line(weeks.with_columns(pl.col("share_within_deadline").alias("В срок"),
                               pl.col("share_within_day").alias("В течение суток"),
                               pl.col("share_on_lesson_day").alias("В день урока"))
            .unpivot(index="week_start", on=["В срок", "В течение суток", "В день урока"]),
            "week_start", "value", "Отметки по неделям: доля выставленных вовремя", "Неделя", "Доля отметок",
            "tl_weeks", color="variable", percent_axis=True)
if lags.height:
    ui.bar(lags.with_columns(pl.col("lag_days").cast(pl.String).replace({str(lags["lag_days"].max()):
                                                                          f"{lags['lag_days'].max()}+"})),
           "lag_days", "marks", "Распределение задержки выставления отметок", "Задержка, дней после урока",
           "Отметок", "tl_lags")

teacher_week = by.filter(pl.col("dimension") == "teacher_week").with_columns(
    pl.col("teacher_id").replace(fmt.name_maps(ctx.lk)["teacher_id"]).alias("teacher"))
if teacher_week.height:
    ui.heatmap(teacher_week, "week_start", "teacher", "share_within_deadline",
               "Учитель × неделя: доля отметок, выставленных в срок", "Неделя (начало)", "Учитель", "В срок",
               "tl_heat", percent=True)

ui.table(ctx, summary, "timeliness_by_teacher", "По учителям и видам записей", empty=ui.NO_ROWS)
ui.table(ctx, by.filter(pl.col("dimension") == "subject"), "timeliness_by_subject", "Отметки по предметам",
         drop=("dimension", "class_id", "teacher_id", "week_start"), empty=ui.NO_ROWS)
ui.table(ctx, by.filter(pl.col("dimension") == "class"), "timeliness_by_class", "Отметки по классам",
         drop=("dimension", "subject_id", "teacher_id", "week_start"), empty=ui.NO_ROWS)
ui.table(ctx, data.metric(ctx.ver, "mark_spree", ctx.scope, ctx.access), "mark_spree",
         "Массовое выставление отметок задним числом")
ui.table(ctx, data.metric(ctx.ver, "mark_late", ctx.scope, ctx.access), "mark_late", "Отметки, выставленные позже срока")
titles = {name: info.title for name, info in data.metric_infos().items()}  # worded with the school's deadlines
ui.table(ctx, data.metric(ctx.ver, "topic_late", ctx.scope, ctx.access), "topic_late", titles["topic_late"])
ui.table(ctx, data.metric(ctx.ver, "attendance_late", ctx.scope, ctx.access), "attendance_late",
         titles["attendance_late"])
ui.table(ctx, data.metric(ctx.ver, "mark_entered_before_lesson", ctx.scope, ctx.access), "mark_entered_before_lesson",
         "Отметки с датой выставления раньше урока")
