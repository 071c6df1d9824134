"""Weekly printout for parents without electronic access (annex 3 p.1): one page per student of a class
with the week's marks, absences and homework, as the journal holds them."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from queries.documents import ClassWeek, class_week, directory
from reports.model import Column, Document, PageBreak, Paragraph, RunningHead, Table
from reports.names import Names
from reports.text import long_date, short_date


def build(con: duckdb.DuckDBPyConnection, school_id: str, group_id: str, week_start: dt.date, *,
          date: dt.date | None = None) -> Document:
    """Monday `week_start` … Sunday: a page per student of the class `group_id`."""
    week_end = week_start + dt.timedelta(days=6)
    names = Names(directory(con, school_id))
    week = class_week(con, group_id, week_start, week_end)
    doc = Document(title=f"{title(week_start)}, {names.group(group_id)} класс", date=date or week_end,
                   author=names.school_name)
    for i, student in enumerate(sorted(week.students, key=names.sort_key)):
        if i:
            doc.add(PageBreak())
        student_page(doc, names, week, group_id, student, week_start)
    return doc


def title(week_start: dt.date) -> str:
    """«Успеваемость и посещаемость за неделю 22.09.2025 – 28.09.2025»: the document's and each sheet's title."""
    return (f"Успеваемость и посещаемость за неделю {short_date(week_start)} – "
            f"{short_date(week_start + dt.timedelta(days=6))}")


def student_page(doc: Document, names: Names, week: ClassWeek, group_id: str, student: str,
                 week_start: dt.date) -> None:
    """One student's sheet of the week: marks, absences (a row per day and code), homework, the signature line.
    Separate from `build` so that the layout test can lay out the fullest sheet of every class-week."""
    week_end = week_start + dt.timedelta(days=6)
    who = f"{names.pupil(student)}, {names.group(group_id)} класс"
    # a week too busy for one sheet runs onto a second: it names the student and the week again
    doc.add(Paragraph(names.school_full_name, "center"), Paragraph(title(week_start), "title"),
            Paragraph(who, "subtitle"),
            RunningHead(f"{who}; неделя {short_date(week_start)} – {short_date(week_end)} (продолжение)"))
    marks = week.marks.filter(pl.col("student_id") == student)
    doc.add(Paragraph("Отметки", "subheading"))
    if marks.height:
        doc.add(Table((Column("Дата", 12), Column("Предмет", 28), Column("Отметка", 12, "C"), Column("Вид работы", 48)),
                      tuple((short_date(r["lesson_date"]), names.subject(r["subject_id"]), r["value_raw"],
                             r["work_type_name"] or "") for r in marks.iter_rows(named=True)), font_size=8.0, compact=True))
    else:
        doc.add(Paragraph("Отметок за неделю нет."))
    absences = week.absences.filter(pl.col("student_id") == student)
    doc.add(Paragraph("Пропуски и опоздания", "subheading"))
    if absences.height:
        doc.add(Table((Column("Дата", 12), Column("Уроки", 8, "R"), Column("Предметы", 50), Column("Отметка", 30)),
                      tuple((short_date(r["lesson_date"]), lesson_numbers(r["lesson_numbers"]),
                             ", ".join(names.subject(s) for s in r["subject_ids"]),
                             f"«{r['raw_code']}» — {r['meaning']}") for r in absences.iter_rows(named=True)),
                      font_size=8.0, compact=True))
    else:
        doc.add(Paragraph("Пропусков и опозданий нет."))
    homework = week.homework.filter(pl.col("student_id") == student)
    doc.add(Paragraph("Домашние задания", "subheading"))
    if homework.height:
        doc.add(Table((Column("Задано", 12), Column("Предмет", 22), Column("К дате", 12), Column("Задание", 54)),
                      tuple((short_date(r["lesson_date"]), names.subject(r["subject_id"]),
                             short_date(r["due_date"]) if r["due_date"] else "", r["text"])
                            for r in homework.iter_rows(named=True)), font_size=8.0, compact=True))
    else:
        doc.add(Paragraph("Домашних заданий за неделю нет."))
    if week.invalid:
        doc.add(Paragraph("Записи, внесённые за эту неделю после сообщения о компрометации учётной записи учителя, "
                          "по п. 4.4 регламента недействительны и в распечатку не включены.", "note"))
    doc.add(Paragraph(f"Распечатка выдана {long_date(doc.date)}   Подпись родителя: ______________", "note"))


def lesson_numbers(numbers: list[int | None]) -> str:
    """«1–6» for a run of lessons, «2, 4» otherwise (a lesson without a number is left out)."""
    known = sorted({n for n in numbers if n is not None})
    if len(known) > 2 and known == list(range(known[0], known[-1] + 1)):
        return f"{known[0]}–{known[-1]}"
    return ", ".join(str(n) for n in known)
