"""Прогноз: the period mark each student is heading for at a chosen day (regulation annex 3 p.2), the
students at risk of «2» or «н/а» with the reasons and the marks needed, class forecasts of успеваемость and
качество, and one student's marks over time. Every figure is from queries.forecast (docs/forecast.md)."""

from __future__ import annotations

import datetime as dt
import html

import plotly.graph_objects as go
import polars as pl
import streamlit as st

import queries
from dashboard import context, fmt, forecast_data, ui
from etl.norms import load_norms
from queries.forecast import AT_RISK_PROBABILITY, at_risk, class_forecasts
from reports.text import probability

# Forecast columns → Russian headers for those the deck's common labels (dashboard.fmt.LABELS) lack.
HEADERS = {"n_marks": "Отметок", "forecast_mark": "Прогноз", "risk_pct": "Риск «2» или «н/а», %",
           "reasons": "Почему", "needs": "Что нужно", "rule_forecast_mark": "Прогноз по правилу",
           "success_pct_likely": "Успеваемость по вероятным отметкам, %",
           "quality_pct_likely": "Качество по вероятным отметкам, %",
           "expected_at_risk": "Ожидается «2» и «н/а»", "students_at_risk": "Учеников с риском",
           "students_short": "Из них мало отметок", "median_marks": "Отметок у ученика (медиана)",
           "min_marks": "Нужно отметок за период", "lessons_so_far": "Уроков проведено",
           "lessons_planned": "Уроков за период"}
AT_RISK_COLUMNS = ("class_id", "student_id", "subject_id", "teacher_id", "n_marks", "avg_mark", "weighted_avg",
                   "absence_share", "forecast_mark", "risk_pct", "reasons", "needs")
PACE_COLUMNS = ("group_id", "subject_id", "teacher_id", "students", "students_short", "median_marks", "min_marks",
                "lessons_so_far", "lessons_planned")


def _percent_risk(df: pl.DataFrame) -> pl.DataFrame:
    """The probability shown as whole percent (the deck's tables format shares only by known column names)."""
    return df.with_columns(fmt.half_up_column(pl.col("risk"), 0, 100).cast(pl.Int64).alias("risk_pct"))


def _period(ctx: context.Context) -> dict | None:
    return ctx.lk.periods.filter(pl.col("id") == ctx.scope.period_id).row(0, named=True) \
        if ctx.scope.period_id is not None else None


def _day_range(ctx: context.Context) -> tuple[dt.date, dt.date]:
    """The days the sidebar's period (or own dates) covers: a forecast day is chosen inside them."""
    p = _period(ctx)
    return (p["start_date"], p["end_date"]) if p else (ctx.scope.date_from, ctx.scope.date_to)


def _forecast_scope(ctx: context.Context) -> queries.Scope:
    """The sidebar's filters; a school year or own dates are no period to forecast a mark for, so then the
    semesters or half-years containing the day are forecast (queries.forecast's default)."""
    s, p = ctx.scope, _period(ctx)
    return queries.Scope(period_id=p["id"] if p and p["kind"] != "year" else None, school_id=s.school_id,
                         level=s.level, grade=s.grade, group_id=s.group_id, subject_id=s.subject_id,
                         teacher_id=s.teacher_id)


def _in_band(ctx: context.Context, rows: pl.DataFrame) -> pl.DataFrame:
    """A school year has a grade band (2–9 or 10–11) but no period to forecast for: keep the forecasts of its
    grades, not those of the other band's half-year running on the same day."""
    p = _period(ctx)
    return rows.filter(pl.col("grade").is_between(p["grade_from"], p["grade_to"])) if p else rows


def _default_day(ctx: context.Context, first: dt.date, last: dt.date) -> dt.date:
    """Today, kept inside the range; when that day lies in no semester or half-year (a school year's last
    days after the last period ended, a holiday gap of own dates), the last day of the latest one begun by
    then, so the page opens on a forecast rather than on «нет семестра»."""
    day = min(max(dt.date.today(), first), last)
    begun = ctx.lk.periods.filter((pl.col("school_id") == ctx.scope.school_id) & (pl.col("kind") != "year")
                                  & (pl.col("start_date") <= day) & (pl.col("end_date") >= first))
    if begun.is_empty() or begun.filter(pl.col("end_date") >= day).height:
        return day
    return begun["end_date"].max()


ctx = context.current()
ui.heading(ctx, "Прогноз", "Прогноз отметки за период по каждому ученику и предмету на выбранный день: учитываются "
           "только отметки и пропуски, внесённые в журнал к концу этого дня (регламент электронного дневника, п. 2). "
           f"Риск — вероятность «2» или «н/а»; в списке риска — строки с риском от {fmt.percent(100 * AT_RISK_PROBABILITY, 0)}.")
first, last = _day_range(ctx)
if not isinstance(st.session_state.get("fc_as_of"), dt.date) or not first <= st.session_state["fc_as_of"] <= last:
    st.session_state["fc_as_of"] = _default_day(ctx, first, last)
as_of = st.date_input("Прогноз на день", key="fc_as_of", min_value=first, max_value=last, format="DD.MM.YYYY")
rows = _in_band(ctx, forecast_data.forecasts(ctx.ver, _forecast_scope(ctx), as_of, ctx.access))
if rows.is_empty():
    st.info(f"На {fmt.date(as_of)} в выбранном срезе нет семестра или полугодия с учениками: выберите другой день.")
    st.stop()

risky = at_risk(rows)
whole = class_forecasts(rows, by=("period_id",))
c1, c2, c3, c4 = st.columns(4)
ui.tile(c1, "Учеников с риском «2» или «н/а»", fmt.number(risky["student_id"].n_unique()),
        help_text=f"Учеников, у которых хотя бы по одному предмету риск не ниже {fmt.percent(100 * AT_RISK_PROBABILITY, 0)}")
ui.tile(c2, "Предметов под риском", fmt.number(risky.height), help_text="Строк «ученик × предмет» в списке риска")
if whole.height == 1:
    w = whole.row(0, named=True)
    ui.tile(c3, "Ожидаемая успеваемость", fmt.percent(w["success_pct"]))
    ui.tile(c4, "Ожидаемое качество", fmt.percent(w["quality_pct"]))

at_risk_table = _percent_risk(risky).select(AT_RISK_COLUMNS).rename(HEADERS, strict=False)
ui.table(ctx, at_risk_table, "forecast_at_risk", "Ученики с риском «2» или «н/а» за период",
         empty="Ни у одного ученика в срезе риск «2» или «н/а» не достигает порога.")

pace = forecast_data.pace(ctx.ver, rows, ctx.access)
if pace.height:
    ui.table(ctx, pace.select(PACE_COLUMNS).rename(HEADERS, strict=False), "forecast_marking_pace",
             "Мало отметок у большинства класса: учитель редко выставляет отметки")
    st.caption("При таком темпе к концу периода у большинства учеников группы будет меньше отметок, чем нужно "
               f"(больше {fmt.share(load_norms()['min_marks']['class_short_share'], 0)} учеников). Это вопрос к учителю, "
               "а не риск ученика: в прогнозе ученика и в письме родителям такая нехватка отметок не учитывается.")

classes = forecast_data.classes(ctx.ver, rows, ctx.access)
class_names = fmt.name_maps(ctx.lk)["class_id"]
if classes.height:
    chart = classes.with_columns(pl.col("class_id").replace(class_names).alias("name")).unpivot(
        index="name", on=["success_pct", "quality_pct"]).with_columns(
        pl.col("variable").replace({"success_pct": "Ожидаемая успеваемость", "quality_pct": "Ожидаемое качество"}))
    ui.bar(chart, "name", "value", "Прогноз успеваемости и качества по классам", "Класс", "%", "fc_classes",
           color="variable")
ui.table(ctx, classes.drop("class_name").rename(HEADERS, strict=False), "forecast_classes",
         "Прогноз по классам", drop=("period_id",), empty=ui.NO_ROWS)

st.subheader("Письмо родителям")
letter_classes = sorted(rows["class_id"].unique().to_list(), key=lambda c: (class_names.get(c, c), c))
l1, l2 = st.columns([2, 1])
chosen = l1.selectbox("Класс", [None, *letter_classes], key="fc_letter_class",
                      format_func=lambda c: "— выберите класс —" if c is None else class_names.get(c, c))
letter_format = l2.radio("Формат", ["pdf", "docx"], key="fc_letter_format", horizontal=True, format_func=str.upper)
if chosen is None:
    st.caption(f"Прогноз на {fmt.date(as_of)} для родителей: страница на каждого ученика класса — текущие отметки, "
               "прогноз и риск по каждому предмету, почему и что нужно сделать, к кому обратиться и до какого дня.")
else:
    letter = forecast_data.letter(ctx.ver, chosen, as_of, letter_format, ctx.access)
    if letter is None:
        st.info(f"На {fmt.date(as_of)} у класса {class_names.get(chosen, chosen)} нет семестра или полугодия: "
                "письма нет.")
    else:
        ui.offer_document(ctx, f"Скачать письмо родителям {class_names.get(chosen, chosen)} ({letter_format.upper()})",
                          letter, "fc_letter", f"pismo-{chosen}-{as_of.isoformat()}.{letter_format}", "pismo",
                          letter_format, date=as_of.isoformat())

st.subheader("Ученик подробно")
people = fmt.name_maps(ctx.lk)["student_id"]
students = sorted(rows["student_id"].unique().to_list(), key=lambda s: (people.get(s, s), s))
if not risky.is_empty() and st.session_state.get("fc_student") not in students:
    st.session_state["fc_student"] = risky["student_id"][0]
left, right = st.columns(2)
student = left.selectbox("Ученик", students, key="fc_student", format_func=lambda s: people.get(s, s))
mine = rows.filter(pl.col("student_id") == student).sort("subject_name")
subjects = dict(zip(mine["subject_id"], mine["subject_name"], strict=True))
riskiest = mine.sort("risk", descending=True)["subject_id"][0]
if st.session_state.get("fc_subject") not in subjects:
    st.session_state["fc_subject"] = riskiest
subject = right.selectbox("Предмет", list(subjects), key="fc_subject", format_func=subjects.get)
row = mine.filter(pl.col("subject_id") == subject).row(0, named=True)
d1, d2, d3, d4 = st.columns(4)
ui.tile(d1, "Прогноз", row["forecast_mark"] or "нет отметок")  # no counted mark: no mark forecast (queries.forecast)
ui.tile(d2, "Риск «2» или «н/а»", probability(row["risk"], AT_RISK_PROBABILITY))  # worded as in the parents' letter
ui.tile(d3, "Средневзвешенный балл", fmt.number(row["weighted_avg"], 2))
ui.tile(d4, "Отметок", fmt.number(row["n_marks"]))
st.markdown(f"**Почему:** {fmt.inert(row['reasons'])}" + (f"  \n**Что нужно:** {fmt.inert(row['needs'])}"
                                                            if row["needs"] else ""))
marks = forecast_data.student_marks(ctx.ver, row["period_id"], student, subject, as_of, ctx.access)
if marks.is_empty():
    st.info("Отметок по этому предмету к выбранному дню нет.")
else:
    frame = marks.to_pandas()
    fig = go.Figure(go.Scatter(
        x=frame["lesson_date"], y=frame["value_num"], mode="lines+markers", name="Отметка",
        marker={"size": 8 + 4 * (frame["weight"] - 1).clip(lower=0)},
        customdata=frame[["value_raw", "work_type_name", "weight"]].fillna("").to_numpy(),
        hovertemplate="Дата: %{x|%d.%m.%Y}<br>Отметка: %{customdata[0]}<br>Вид работы: %{customdata[1]}"
                      "<br>Вес: %{customdata[2]}<extra></extra>"))
    if row["weighted_avg"] is not None:
        fig.add_hline(y=row["weighted_avg"], line_dash="dash",
                      annotation_text=f"средневзвешенный {fmt.number(row['weighted_avg'], 2)}")
    fig.update_layout(title=html.escape(f"Отметки: {people.get(student, student)}, {subjects[subject]}"),
                      xaxis_title="Дата урока", yaxis_title="Отметка", separators=ui.SEPARATORS,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    fig.update_xaxes(tickformat="%d.%m.%Y")
    fig.update_yaxes(range=[1.5, 5.5], dtick=1)
    ui.chart(fig, "fc_timeline")
