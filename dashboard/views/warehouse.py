"""Данные: what is loaded (schools, years, batches, rejects with reasons, freshness, coverage per class
and week) and uploading a bundle through the same loader as `zavuch load`."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, data, fmt, ui
from dashboard.upload import load_uploaded
from etl.bundle import BundleRefused
from etl.norms import load_norms
from etl.report import table_title

# What a mark or an absence of a pupil outside the lesson's class means and what the administrator does about it.
OUTSIDE_GROUP_HELP = (
    "Это отметки и пропуски, внесённые ученику, которого на дату урока не было в составе класса или группы "
    "этого урока: например, отметка ученику, который уже выбыл или ещё не зачислен, или ученик, записанный в "
    "выгрузке не в тот класс. Такие строки загружены, а не отклонены, поэтому без проверки ошибка так и "
    "останется в журнале. Что сделать: сверьте в ЭЖ даты зачисления и выбытия ученика в составе класса "
    "(группы) и класс урока. Если неверен состав класса или урок в выгрузке — исправьте в ЭЖ и загрузите пакет "
    "снова; если отметку или пропуск внесли не тому ученику — попросите учителя исправить запись в ЭЖ.")

st.title("Данные")
st.caption(f"Хранилище: {data.db_path()}")

user = st.session_state[auth.USER]
if user.is_demo or user.role == "it_admin":  # loading is the IT administrator's job (and the demo's)
    st.subheader("Загрузить пакет данных")
    limit_mb = int(load_norms()["access"]["upload_max_mb"])
    st.markdown("Пакет — папка с файлами таблиц (CSV, XLSX, Parquet, JSONL) в формате Завуча, упакованная в .zip, "
                "или сами файлы таблиц. Загрузка проходит те же проверки, что `zavuch load`: непригодный пакет "
                f"отклоняется целиком, хранилище не меняется; строки с ошибками откладываются с причиной. "
                f"Не больше {limit_mb} МБ за раз.")
    ui.russian_uploader()
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Файлы пакета", accept_multiple_files=True,
                                 type=["zip", "csv", "xlsx", "parquet", "jsonl", "toml"])
        submitted = st.form_submit_button("Загрузить")
    if submitted:
        if not files:
            st.warning("Выберите .zip с пакетом или файлы таблиц.")
        else:
            try:
                with st.spinner("Загружаю пакет…"):
                    report = load_uploaded(files, data.db_path(), max_bytes=limit_mb * 1024 * 1024)
            except BundleRefused as e:
                auth.record("load", files=[f.name for f in files], result="refused", message=str(e))
                st.error(f"Пакет не загружен: {e}")
            else:
                auth.record("load", files=[f.name for f in files], result="loaded", summary=report.summary())
                st.session_state["_last_load"] = report.summary()
                st.rerun()  # the sidebar and every cache key move to the new warehouse version
    if "_last_load" in st.session_state:
        st.success("Загрузка завершена.")
        st.code(st.session_state["_last_load"], language=None)

ctx = st.session_state.get("_ctx")
if ctx is None:
    st.info("Хранилище пока пусто: загрузите пакет данных выше или командой `zavuch load` / `zavuch demo`.")
    st.stop()

status = data.status(ctx.ver, ctx.access)
fresh = status.freshness
c1, c2, c3 = st.columns(3)
ui.tile(c1, "Школ", fmt.number(status.schools.height))
if fresh.height:
    last = fresh.row(0, named=True)
    ui.tile(c2, "Последний урок", fmt.date(fresh["last_lesson_date"].max()))
    ui.tile(c3, "Последняя загрузка", fmt.date(last["last_load_finished_at"].date()
                                              if last["last_load_finished_at"] else None))

ui.table(ctx, status.schools, "schools", "Школы", empty="Школ нет.")
ui.table(ctx, status.years, "years", "Учебные годы", empty="Учебных лет нет.")
ui.table(ctx, status.periods, "periods", "Отчётные периоды", empty="Периодов нет.")
ui.table(ctx, status.row_counts, "row_counts", "Строк в таблицах", empty=ui.NO_ROWS)
ui.table(ctx, status.batches, "batches", "Партии загрузки (последние)", empty="Загрузок не было.")
ui.table(ctx, status.reject_reasons, "reject_reasons", "Причины отклонения строк",
         empty="Отклонённых строк нет.")
ui.table(ctx, data.rejected_rows(ctx.ver, ctx.access), "rejected_rows", "Отклонённые строки (файл, строка, столбец, причина)",
         empty="Отклонённых строк нет.")
outside = status.outside_group  # the same query and figure as `zavuch status`
if outside.height:
    counts = ", ".join(f"{table_title(r['table_name'])} — {fmt.number(r['rows'])}" for r in outside.iter_rows(named=True))
    st.warning(f"Ученик не состоял в классе (группе) урока на дату урока: {counts}. {OUTSIDE_GROUP_HELP}",
               icon=":material/person_off:")
ui.table(ctx, outside, "outside_group", "Отметки и пропуски ученика вне класса (группы) урока",
         empty="Таких записей нет: каждая отметка и каждый пропуск внесены ученику, который на дату урока "
               "состоял в классе (группе) этого урока.")
ui.table(ctx, fresh, "freshness", "Свежесть данных", empty=ui.NO_ROWS)

problem = data.scope_problem(ctx.ver, ctx.scope, ctx.access) if ctx.scope is not None else "нет фильтров"
if problem is None:
    cover = data.coverage(ctx.ver, ctx.scope, ctx.access)
    if cover.height:
        names = fmt.name_maps(ctx.lk)["class_id"]
        ui.heatmap(cover.with_columns(pl.col("class_id").replace(names).alias("class")),
                   "week_start", "class", "lessons_held", f"Покрытие данными: проведённых уроков по классам и неделям "
                   f"({ctx.title})", "Неделя (начало)", "Класс", "Уроков", "coverage_heat")
    ui.table(ctx, cover, "coverage", "Покрытие по классам и неделям", empty="В выбранном срезе уроков нет.")
