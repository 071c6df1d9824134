"""Своевременность: entry lags, shares in time by teacher, subject, class and week, sprees, late marks."""

from __future__ import annotations

import polars as pl

from dashboard import context, data, fmt, ui
from etl.norms import load_norms



def _deadline(days: int) -> str:
    return "в день урока" if days == 0 else f"до {days} дн. после урока"


def _deadlines_caption(d: dict) -> str:
    """The school's deadlines as the norms say them (etl/norms.toml [deadlines]), not restated by hand."""
    named = "; ".join(f"{w['name']} — {_deadline(w['days'])}" for w in d["by_work_type"])
    same = {d["topic_days"], d["attendance_days"], d["homework_days"]}
    rest = (f"темы, посещаемость и ДЗ — {_deadline(d['topic_days'])}" if len(same) == 1 else
            f"темы — {_deadline(d['topic_days'])}, посещаемость — {_deadline(d['attendance_days'])}, "
            f"ДЗ — {_deadline(d['homework_days'])}")
    return (f"Сроки по нормам школы: отметки — {_deadline(d['mark_days'])} (контрольные — "
            f"{_deadline(d['control_work_days'])}{'; ' + named if named else ''}), {rest} "
            "(регламент ведения ЭЖ, п. 2.5–2.8; регламент электронного дневника, п. 3).")


ctx = context.current()
ui.heading(ctx, "Своевременность заполнения", _deadlines_caption(load_norms()["deadlines"]))
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
ui.table(ctx, data.metric(ctx.ver, "topic_late", ctx.scope, ctx.access), "topic_late", "Темы, записанные позже дня урока")
ui.table(ctx, data.metric(ctx.ver, "attendance_late", ctx.scope, ctx.access), "attendance_late",
         "Посещаемость, отмеченная позже дня урока")
ui.table(ctx, data.metric(ctx.ver, "mark_entered_before_lesson", ctx.scope, ctx.access), "mark_entered_before_lesson",
         "Отметки с датой выставления раньше урока")
