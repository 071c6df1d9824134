"""Сводная ведомость успеваемости (regulation 2.15, 3.2): per class, students × subjects with the period or
year marks and the class's успеваемость, качество, СОУ and average, with signature and seal lines.
One document holds every class of the school, a page each (printed, signed and archived)."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from queries.documents import ClassSheets, directory, last_load, period_sheets, year_sheets
from reports.model import Column, Document, PageBreak, Paragraph, Signature, Table
from reports.names import Names
from reports.text import number, percent, short_date


def build(con: duckdb.DuckDBPyConnection, school_id: str, *, period_id: str | None = None,
          academic_year_id: str | None = None, group_id: str | None = None, date: dt.date,
          norms: dict | None = None) -> Document:
    """Sheets of one period (`period_id`) or of a year (`academic_year_id`), for one class or all classes."""
    names = Names(directory(con, school_id))
    if period_id is not None:
        sheets = period_sheets(con, period_id, group_id=group_id, as_of=date, norms=norms)
        when, mean, span = f"за {names.period_phrase(period_id)}", "средняя отметка за период", "Период"
    else:
        sheets = year_sheets(con, academic_year_id, group_id=group_id, as_of=date, norms=norms)
        year = names.directory.school.filter(pl.col("academic_year_id") == academic_year_id)["academic_year"][0]
        when, mean, span = f"за {year} учебный год (годовые отметки)", "средняя годовая отметка", "Учебный год"
    # signed and filed: a sheet of a period still running must not read as the period's results
    loaded = last_load(con, school_id)
    state = (f"Ведомость от {short_date(date)} по данным электронного журнала, загруженным в программу «Завуч» "
             f"{short_date(loaded.date())} в {loaded:%H:%M}." if loaded is not None else None)
    note = (f"{span} не закончился (последний день — {short_date(sheets.runs_to)}): в ведомости — отметки, "
            f"выставленные к {short_date(date)}, а не итоги." if sheets.runs_to is not None else None)
    doc = Document(title=f"Сводные ведомости успеваемости {when}", date=date, author=names.school_name, landscape=True)
    # a class without a single mark (1st grade: no marks; a year not yet closed) gets no sheet: a page of
    # names under «Сводная ведомость успеваемости» would be signed and archived as the class's results
    marked = sheets.marks.filter(pl.col("subject_id").is_not_null())
    classes = sorted(marked["class_id"].unique().to_list(), key=lambda c: (names.group_grade(c), names.group(c)))
    for i, class_id in enumerate(classes):
        if i:
            doc.add(PageBreak())
        _class_page(doc, names, sheets, class_id, (when, mean, note, state))
    return doc


def _class_page(doc: Document, names: Names, sheets: ClassSheets, class_id: str,
                words: tuple[str, str, str | None, str | None]) -> None:
    """One class's sheet. `words`: its subtitle («за 1 семестр …»); the name of the average of the grid's marks
    as the deck and the справка name it («средняя отметка за период»; of year marks «средняя годовая
    отметка»), not a bare «средний балл», which the deck's «Средний текущий балл» next to it (the mean of
    current marks) made two figures; the note that the period has not ended, if it has not; and the sheet's date
    with the load it reads, above the signatures (a sheet printed again after later loads may differ from the one
    signed)."""
    when, mean, note, state = words
    marks = sheets.marks.filter(pl.col("class_id") == class_id)
    subjects = sorted({s for s in marks["subject_id"].to_list() if s is not None}, key=names.subject)
    grid: dict[tuple[str, str], str] = {(r["student_id"], r["subject_id"]): r["mark"] or ""
                                        for r in marks.iter_rows(named=True) if r["subject_id"] is not None}
    students = sorted(set(marks["student_id"].to_list()), key=names.sort_key)
    doc.add(Paragraph(names.school_full_name, "center"),
            Paragraph(f"Сводная ведомость успеваемости {names.group(class_id)} класса", "title"),
            Paragraph(when, "subtitle"))
    if note is not None:
        doc.add(Paragraph(note, "note"))
    columns = (Column("№", 3, "R"), Column("Ученик", 16),
               *(Column(names.subject(s, short=True), 5, "C") for s in subjects))
    rows = tuple((str(i), names.person_full(st), *(grid.get((st, s), "") for s in subjects))
                 for i, st in enumerate(students, 1))
    doc.add(Table(columns, rows, font_size=7.5, compact=True))
    res = sheets.results.filter(pl.col("class_id") == class_id)
    if res.height:
        r = res.row(0, named=True)
        # the «осв» the grid above shows are named, or the sheet's count of marks would not add up
        exempt = f"; «осв» — {number(r['n_exempt'])}, в расчёт показателей не входят" if r["n_exempt"] else ""
        doc.add(Paragraph(
            f"Отметок в расчёте показателей: {number(r['n'])} («5» — {number(r['n5'])}, «4» — {number(r['n4'])}, "
            f"«3» — {number(r['n3'])}, «2» — {number(r['n2'])}, «н/а» — {number(r['n_na'])}){exempt}. "
            f"Успеваемость {percent(r['success_pct'])}, "
            f"качество {percent(r['quality_pct'])}, СОУ {percent(r['sou_pct'])}, {mean} {number(r['avg_mark'], 2)}."))
    if class_id in sheets.invalid.classes:
        doc.add(Paragraph(
            f"Не учтены записи, внесённые после сообщения о компрометации учётной записи ({_accounts(names, sheets)}): "
            f"по п. 4.4 регламента они недействительны (всего в ведомостях — {number(sheets.invalid.total)}; "
            "перечень — показатель «Записи после компрометации учётной записи»).", "note"))
    if state is not None:
        doc.add(Paragraph(state, "note"))
    doc.add(Signature("Классный руководитель", names.homeroom(class_id) or "________"),
            Signature("Директор", names.staff("директор") or "________", seal=True))


def _accounts(names: Names, sheets: ClassSheets) -> str:
    return ", ".join(names.person(a) for a in sheets.invalid.accounts)
