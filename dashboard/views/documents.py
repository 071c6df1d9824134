"""Справки: the справка по итогам проверки ведения ЭЖ for the sidebar's period and scope (regulation
annex 1, issue 5) with an on-screen preview, and downloads of the справка, the draft приказ and a class's
сводная ведомость. Documents are built by `reports/` on the user's restricted connection, so a
methodologist's documents carry pseudonyms; every download is written to the audit log."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import queries
from dashboard import context, documents_data, fmt, ui
from etl.norms import NormsError
from queries.access import AccessDenied
from reports.templates import TemplatesError

HEADINGS = {"title": "###", "heading": "####", "subheading": "#####"}


def _first_day(ctx: context.Context) -> dt.date:
    s = ctx.scope
    if s.period_id is None:
        return s.date_from
    return ctx.lk.periods.filter(ctx.lk.periods["id"] == s.period_id)["start_date"][0]


ctx = context.current()
ui.heading(ctx, "Справки", "Справка по итогам проверки ведения электронного журнала за выбранный слева период и "
           "срез (приказ о ведении ЭЖ, приложение 1: справки — каждый семестр), проект приказа по её итогам и сводная ведомость класса. Все цифры и "
           "списки учителей — из тех же проверок, что на остальных страницах; документ учитывает записи журнала, "
           "внесённые к концу дня проверки.")
first = _first_day(ctx)
if not isinstance(st.session_state.get("doc_date"), dt.date) or st.session_state["doc_date"] < first:
    st.session_state["doc_date"] = max(dt.date.today(), first)
left, middle, right = st.columns([1, 2, 1])
day = left.date_input("Дата проверки", key="doc_date", min_value=first, format="DD.MM.YYYY")
signer = middle.text_input("Подписывает", key="doc_signer", placeholder="Фамилия И. О. (по умолчанию — заместитель "
                           "директора по УВР из журнала)").strip()
fmt_ = right.radio("Формат", [documents_data.PDF, documents_data.DOCX], key="doc_format", horizontal=True,
                   format_func=str.upper)

try:
    files = documents_data.spravka_files(ctx.ver, ctx.scope, day, signer or None, fmt_, ctx.access)
except (queries.ScopeError, NormsError, TemplatesError, AccessDenied) as e:
    st.error(f"Справку составить нельзя: {e}")
    st.stop()

stamp = day.isoformat()
detail = {"date": stamp, "signer": signer or None}
b1, b2, b3 = st.columns(3)
with b1:
    ui.offer_document(ctx, f"Скачать справку ({fmt_.upper()})", files.spravka, "doc_spravka",
                      f"spravka-{stamp}.{fmt_}", "spravka", fmt_, **detail)
with b2:
    ui.offer_document(ctx, "Скачать проект приказа (DOCX)", files.prikaz_docx, "doc_prikaz",
                      f"prikaz-{stamp}.docx", "prikaz", documents_data.DOCX, **detail)
with b3:
    s = ctx.scope
    if s.period_id is not None and s.group_id is not None:
        sheet = documents_data.svodnaya_file(ctx.ver, s.school_id, s.period_id, s.group_id, day, fmt_, ctx.access)
        if sheet is None:
            st.info("У класса нет отметок за этот период: сводной ведомости нет.")
        else:
            ui.offer_document(ctx, f"Скачать сводную ведомость класса ({fmt_.upper()})", sheet, "doc_svodnaya",
                              f"vedomost-{s.group_id}-{s.period_id}.{fmt_}", "vedomost", fmt_, date=stamp)
    else:
        st.caption("Сводная ведомость — выберите слева класс и отчётный период.")

c1, c2, c3 = st.columns(3)
ui.tile(c1, "Учителей с нарушениями", fmt.number(files.violators.height),
        help_text="Учителя, которым справка даёт персональные рекомендации")
ui.tile(c2, "Учителей без нарушений", fmt.number(files.n_exemplary))
ui.tile(c3, "Учителей в листе ознакомления", fmt.number(files.n_named))

st.subheader("Персональные рекомендации")
if files.violators.is_empty():
    st.info("Нарушений регламента не выявлено.")
else:
    st.dataframe(files.violators, hide_index=True, width="stretch", key="doc_violators", placeholder=fmt.NO_VALUE)

st.subheader("Текст справки")
with st.container(border=True, height=600):
    for style, text in files.paragraphs:
        shown = fmt.inert(text)
        if style in HEADINGS:
            st.markdown(f"{HEADINGS[style]} {shown}")
        elif style in ("center", "subtitle"):
            st.markdown(f"**{shown}**")
        else:
            st.markdown(shown)
