"""Forecast letter to parents (regulation annex 3 p.2: students and parents are told the forecast of the
final success for the period): one page per student of a class with, per subject, the marks so far,
the averages, the most likely period mark, the risk of «2» or «н/а», its reasons and the marks needed.
Every figure is a column of queries.forecast; this module only lays them out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from etl.russian import plural
from queries.access import FULL, Access
from queries.documents import directory
from queries.forecast import AT_RISK_PROBABILITY, at_risk, marks_so_far, student_exemptions, student_forecasts
from queries.scope import Scope
from reports.model import Column, Document, PageBreak, Paragraph, Table
from reports.names import Names
from reports.text import long_date, number, probability, share

COLUMNS = (Column("Предмет", 15), Column("Текущие отметки", 17), Column("Средний балл", 8, "C"),
           Column("Средне- взвешен- ный балл", 8, "C"), Column("Прогноз", 7, "C"),
           Column("Риск «2» или «н/а»", 9, "C"), Column("Почему", 20), Column("Что нужно", 16))
EXPLAINED = ("Прогноз — наиболее вероятная отметка за период, если учёба пойдёт так же, как до сих пор; риск — "
             "вероятность того, что за период будет «2» или «н/а». Прогноз учитывает только отметки и пропуски, "
             "внесённые в журнал к дате письма; отметку за период выставляет учитель. «Что нужно» — сколько ещё "
             "обычных отметок «5» (или «4») поднимут средневзвешенный балл до следующей отметки.")


def build(con: duckdb.DuckDBPyConnection, class_id: str, as_of: dt.date,
          norms: dict[str, Any] | None = None, access: Access = FULL) -> Document:
    """The letter for every student of the class `class_id` as of `as_of` (also the document date). A class
    with no reporting period around that day gives a Document without blocks. On behalf of `access` (the
    deck's class teacher) pass the unrestricted `con`: the figures are the school's forecast, as the
    administrator's `zavuch pismo` prints them, and the pupils, names and marks those `access` may see."""
    rows = student_forecasts(con, Scope(group_id=class_id), as_of, norms, access=access)
    exempt = student_exemptions(con, Scope(group_id=class_id), as_of, norms, access=access)
    # a page per pupil with a forecast or an exemption (one exempt from every subject held still gets his page)
    found = [f.select("period_id", "student_id") for f in (rows, exempt) if f.height]
    if not found:
        return Document(title="Прогноз итоговых отметок", date=as_of)
    pages = pl.concat(found).unique()
    names = Names(directory(con, (rows if rows.height else exempt)["school_id"][0], access))
    class_name = names.group(class_id)
    marks = marks_so_far(con, pages["period_id"][0], pages["student_id"].unique().to_list(), as_of, access=access) \
        if pages["period_id"].n_unique() == 1 else None
    doc = Document(title=f"Прогноз итоговых отметок, {class_name} класс", date=as_of, author=names.school_name)
    ordered = sorted(pages.iter_rows(), key=lambda r: (names.period(r[0])["start_date"], names.sort_key(r[1])))
    for i, (period_id, student_id) in enumerate(ordered):
        if i:
            doc.add(PageBreak())
        mine, freed = ((f.filter((pl.col("period_id") == period_id) & (pl.col("student_id") == student_id))
                        if f.height else f) for f in (rows, exempt))
        own_marks = marks if marks is not None else marks_so_far(con, period_id, [student_id], as_of, access=access)
        _student_page(doc, names, period_id, student_id, mine, freed,
                      own_marks.filter(pl.col("student_id") == student_id), class_id, class_name, as_of)
    return doc


def _marks_text(marks: pl.DataFrame, subject_id: str) -> str:
    return " ".join(marks.filter(pl.col("subject_id") == subject_id)["value_raw"].to_list()) or "нет"


def _exempt_reason(row: dict[str, Any], girl: bool) -> str:
    """«освобождена: «осв» за прошлый период, отметок с тех пор нет» — as the class teacher would put it, and
    from what the journal shows (queries.forecast.student_exemptions)."""
    freed = "освобождена" if girl else "освобождён"
    if row["previous_exempt"]:
        return f"{freed}: «осв» за прошлый период, отметок с тех пор нет"
    n = row["lessons_exempt"]
    return f"{freed}: «ОСВ» на всех {n} {plural(n, 'проведённом уроке', 'проведённых уроках', 'проведённых уроках')}"


def _at_risk_subject(names: Names, row: dict[str, Any]) -> str:
    """«География (54 %, учитель Орлов Д. С.)»: the parents are asked to talk to that teacher."""
    teacher = f", учитель {names.person(row['teacher_id'])}" if row["teacher_id"] else ""
    return f"{row['subject_name']} ({probability(row['risk'], AT_RISK_PROBABILITY)}{teacher})"


def _student_page(doc: Document, names: Names, period_id: str, student_id: str, rows: pl.DataFrame,
                  exempt: pl.DataFrame, marks: pl.DataFrame, class_id: str, class_name: str, as_of: dt.date) -> None:
    """One pupil's page: a row per subject forecast (`rows`) and per subject he is exempt from (`exempt`)."""
    girl = names.is_girl(student_id)
    period = names.period(period_id)
    homeroom = names.homeroom(class_id)
    doc.add(Paragraph(names.school_full_name, "center"),
            Paragraph(f"Прогноз итоговых отметок за {names.period_phrase(period_id)}", "title"),
            Paragraph(f"{names.pupil(student_id)}, {class_name} класс", "subtitle"),
            Paragraph(f"По данным электронного журнала на {long_date(as_of)}", "subtitle"),
            Paragraph("Уважаемые родители! Сообщаем текущие отметки и прогноз отметок за период по каждому "
                      "предмету (регламент предоставления услуги «Электронный дневник», п. 2)."))
    forecast = [(r["subject_name"], r["subject_id"], (
        r["subject_name"], _marks_text(marks, r["subject_id"]), number(r["avg_mark"], 2),
        number(r["weighted_avg"], 2), r["forecast_mark"] or "—", probability(r["risk"], AT_RISK_PROBABILITY),
        r["reasons"], r["needs"] or "—")) for r in rows.iter_rows(named=True)]
    # a subject the pupil is exempt from is no forecast, but the parents read that he is exempt from it
    freed = [(r["subject_name"], r["subject_id"], (
        r["subject_name"], _marks_text(marks, r["subject_id"]), "—", "—", "осв", "—", _exempt_reason(r, girl), "—"))
        for r in exempt.iter_rows(named=True)]
    doc.add(Table(COLUMNS, tuple(cells for _, _, cells in sorted(forecast + freed)), font_size=8.5, compact=True))
    risky = at_risk(rows)
    if risky.height:
        listed = ", ".join(_at_risk_subject(names, r) for r in risky.iter_rows(named=True))
        whom = f"с классным руководителем ({homeroom})" if homeroom else "с классным руководителем"
        doc.add(Paragraph(f"Внимание: есть риск отметки «2» или «н/а» за период по предметам: {listed}. "
                          f"{period['period_name']} заканчивается {long_date(period['end_date'])}: до этого дня "
                          f"положение можно исправить. Просим связаться {whom} или с учителем-предметником.",
                          bold=True))
    else:
        doc.add(Paragraph(f"Ни по одному предмету риск отметки «2» или «н/а» за период не достигает "
                          f"{share(AT_RISK_PROBABILITY, 0)}."))
    doc.add(Paragraph(EXPLAINED, "note"))
    if homeroom:
        doc.add(Paragraph(f"Классный руководитель: {homeroom}", "note"))
    doc.add(Paragraph(f"Письмо выдано {long_date(as_of)}   Подпись родителя: ______________", "note"))
