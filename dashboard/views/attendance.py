"""Посещаемость: trends by week and month and by reason, class × day, spikes, chronic absentees, «н/а» risk."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data, fmt, ui

REASONS = {"illness_share": "По болезни", "excused_share": "По уважительной причине",
           "unexcused_share": "Без уважительной причины"}

ctx = context.current()
ui.heading(ctx, "Посещаемость", "Отсутствующие отмечаются в день урока (регламент ведения ЭЖ, п. 2.6); систематические "
           "пропуски и риск «н/а» — по нормам школы.")
summary = data.metric(ctx.ver, "attendance_summary", ctx.scope, ctx.access)
students = data.metric(ctx.ver, "attendance_students", ctx.scope, ctx.access)
total = summary.filter(pl.col("dimension") == "total")

c1, c2, c3, c4 = st.columns(4)
if total.height:
    t = total.row(0, named=True)
    ui.tile(c1, "Посещаемость", fmt.share(t["attendance_rate"]))
    ui.tile(c2, "Пропущено уроков", fmt.number(t["absences"]))
    ui.tile(c3, "Из них по болезни", fmt.number(t["absent_illness"]))
    ui.tile(c4, "Без уважительной причины", fmt.number(t["absent_unexcused"]))

weeks = summary.filter(pl.col("dimension") == "week")
if weeks.height:
    ui.line(weeks, "week_start", "attendance_rate", "Посещаемость по неделям", "Неделя", "Доля посещённых уроков",
            "att_weeks", percent_axis=True)
months = summary.filter(pl.col("dimension") == "month")
if months.height:
    by_reason = months.with_columns(pl.col("month_start").map_elements(fmt.month, return_dtype=pl.String)
                                    .alias("month")).unpivot(index="month", on=list(REASONS))
    ui.bar(by_reason.with_columns(pl.col("variable").replace(REASONS)), "month", "value",
           "Пропуски по месяцам и причинам", "Месяц", "Доля пропущенных ученико-уроков", "att_reasons",
           color="variable", percent_axis=True)
    st.caption("Доля пропущенных уроков, а не их число: в месяце с каникулами или взятом не целиком (выбранный "
               "период начинается или заканчивается внутри месяца) уроков меньше — и пропусков меньше само собой.")
class_day = data.attendance_class_day(ctx.ver, ctx.scope, ctx.access)
if class_day.height:
    names = fmt.name_maps(ctx.lk)["class_id"]
    ui.heatmap(class_day.with_columns(pl.col("class_id").replace(names).alias("class")),
               "event_date", "class", "attendance_rate", "Класс × день: посещаемость", "День", "Класс", "Посещаемость",
               "att_heat", percent=True)

ui.table(ctx, data.metric(ctx.ver, "illness_spikes", ctx.scope, ctx.access), "illness_spikes", "Вспышки заболеваемости",
         empty="Вспышек заболеваемости не было.")
ui.table(ctx, data.metric(ctx.ver, "chronic_absentees", ctx.scope, ctx.access), "chronic_absentees",
         "Систематически пропускающие (по месяцам)", empty="Систематических пропусков нет.")
ui.table(ctx, data.metric(ctx.ver, "na_risk", ctx.scope, ctx.access), "na_risk", "Риск «н/а» из-за пропусков",
         empty="Учеников с риском неаттестации по пропускам нет.")
ui.table(ctx, students.filter(pl.col("full_days_missed") > 0).sort("full_days_missed", descending=True),
         "full_days", "Пропущенные полные дни", empty="Полных дней никто не пропускал.")
ui.table(ctx, data.metric(ctx.ver, "attendance_unmarked", ctx.scope, ctx.access), "attendance_unmarked",
         "Уроки без отметки посещаемости")
ui.table(ctx, data.metric(ctx.ver, "mark_on_absence_no_comment", ctx.scope, ctx.access), "mark_on_absence_no_comment",
         "Отметка при «Н» без комментария (п. 2.9)")
ui.table(ctx, summary.filter(pl.col("dimension") == "class"), "attendance_by_class", "Посещаемость по классам",
         drop=("dimension", "subject_id", "week_start", "month_start"), empty=ui.NO_ROWS)
