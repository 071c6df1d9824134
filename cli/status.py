"""`zavuch status`: what is loaded."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from access import audit, store
from cli.common import DbOption, db_path, fail, json_text
from cli.help_ru import examples
from dashboard import fmt
from etl.report import BATCH_STATUS, table_title
from etl.warehouse import WarehouseMissing, connect_readonly
from queries.deck import rejected_rows
from queries.status import WarehouseStatus, warehouse_status

COUNT_COLUMNS = ("Загружено", "Без изменений", "Отклонено", "Удалено")
REJECTED_ROWS_SHOWN = 20  # the terminal shows the newest; the deck's Данные page lists them all



def register(app: typer.Typer) -> None:
    app.command(
        "status",
        help="Что загружено: школы, годы, периоды, число строк по таблицам, последние загрузки, "
        "причины отклонения строк, свежесть данных, созданные архивы года.",
        epilog=examples("zavuch status", "zavuch status --db /srv/zavuch/zavuch.duckdb --json"),
    )(status)


def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести в JSON (для скриптов).")] = False,
) -> None:
    path = db_path(db)
    try:
        con = connect_readonly(path)
    except WarehouseMissing as e:
        raise fail(str(e)) from None
    try:
        st = warehouse_status(con)
        rejects = rejected_rows(con, limit=REJECTED_ROWS_SHOWN)
    finally:
        con.close()
    archives = recorded_archives(path)
    if as_json:
        typer.echo(json_text({"warehouse": str(path), **st.as_dict(), "archives": archives}))
        return
    print_status(st, str(path), rejects=rejects)
    print_archives(archives, Console(), st.restored)


def recorded_archives(db: Path) -> list[dict[str, Any]]:
    """The year archives made for this warehouse, from the audit log beside it (none without a log): the
    admin reads here whether this year's two copies exist, instead of only on the deck's «Архив года»."""
    path = store.resolve_store_path(db)
    if not path.exists():
        return []
    # Read-only: status writes nothing. On a read-only medium SQLite cannot open the log's WAL index, and
    # reads the file as it is («immutable»).
    for mode in ("ro", "ro&immutable=1"):
        try:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
        except sqlite3.Error:
            continue
        try:
            con.row_factory = sqlite3.Row
            return audit.archives(con)
        except sqlite3.Error:
            continue
        finally:
            con.close()
    return []  # a log it may not read: status still tells the rest


def print_archives(archives: list[dict[str, Any]], console: Console, restored: pl.DataFrame | None = None) -> None:
    """Archives made (from the audit log) and, for a restored warehouse, the archive it came from."""
    for r in (restored if restored is not None else pl.DataFrame()).iter_rows(named=True):
        console.print(f"Хранилище восстановлено из архива {r['archive']} "
                      f"{fmt.moment(dt.datetime.fromisoformat(r['restored_at']))}", soft_wrap=True)
    if not archives:
        console.print("Архив года: в журнале действий рядом с хранилищем записей о нём нет (создаётся: zavuch "
                      "archive create, docs/archive.md)")
        return
    for a in archives:
        copies = a.get("copies") or []
        failed = f"; не записано: {a['failures']}" if a.get("failures") else ""
        where = f" ({', '.join(copies)})" if copies else ""
        console.print(f"Архив года {a.get('year')}: {a.get('name')}, создан {fmt.moment(dt.datetime.fromisoformat(a['at']))} "
                      f"({a['login']}); копий записано и проверено: {len(copies)}{where}{failed}", soft_wrap=True)


def print_status(st: WarehouseStatus, path: str, console: Console | None = None,
                 rejects: pl.DataFrame | None = None) -> None:
    """Human summary, also printed after `zavuch demo` and `zavuch load`."""
    console = console or Console()
    console.print(f"[bold]Хранилище:[/bold] {path}")
    t = Table(title="Школы")
    for col in ("ИД", "Школа", "Учеников", "Учителей", "Классов"):
        t.add_column(col)
    for r in st.schools.iter_rows(named=True):
        t.add_row(r["school_id"], r["name"], str(r["students"]), str(r["teachers"]), str(r["classes"]))
    console.print(t)
    years = ", ".join(sorted(set(st.years["name"].to_list()))) or "—"
    console.print(f"Учебные годы: {years}; отчётных периодов: {st.periods.height}")
    if st.periods.height:  # their ids are what --period of metrics, spravka and vedomost asks for
        t = Table(title="Отчётные периоды (ИД — для --period)")
        for col in ("ИД", "Период", "С", "По", "Классы"):
            t.add_column(col)
        for r in st.periods.sort("school_id", "start_date", "end_date").iter_rows(named=True):
            t.add_row(r["period_id"], r["name"], fmt.date(r["start_date"]), fmt.date(r["end_date"]),
                      f"{r['grade_from']}–{r['grade_to']}")
        console.print(t)
    t = Table(title="Строк в хранилище")
    t.add_column("Таблица")
    t.add_column("Строк", justify="right")
    t.add_column("Из них удалено в источнике", justify="right")
    for r in st.row_counts.iter_rows(named=True):
        t.add_row(table_title(r["table_name"]), fmt.number(r["rows"]), fmt.number(r["deleted"]) if r["deleted"] else "")
    console.print(t)
    if st.batches.height:
        t = Table(title="Последние загрузки")
        for col in ("№", "Источник", "Статус", "Начало", "Загружено", "Без изменений", "Отклонено", "Удалено"):
            t.add_column(col, justify="right" if col in COUNT_COLUMNS else "left")
        for r in st.batches.iter_rows(named=True):
            t.add_row(str(r["batch_id"]), r["source_system"], BATCH_STATUS.get(r["status"], r["status"]),
                      fmt.moment(r["started_at"]), *(fmt.number(r[c]) for c in
                                                     ("rows_loaded", "rows_unchanged", "rows_rejected", "rows_deleted")))
        console.print(t)
    if st.reject_reasons.height:
        t = Table(title="Причины отклонения строк по файлам")
        for col in ("Файл", "Таблица", "Причина", "Строк"):
            t.add_column(col, overflow="fold" if col == "Файл" else "ellipsis")
        for r in st.reject_reasons.head(10).iter_rows(named=True):
            t.add_row(r["file_name"], table_title(r["table_name"]), r["reason"], fmt.number(r["rows"]))
        console.print(t)
    if rejects is not None and rejects.height:
        counted = st.row_counts.filter(pl.col("table_name") == "rejected_rows")["rows"]
        total = int(counted[0]) if counted.len() else rejects.height  # entries, as listed below
        t = Table(title=f"Отклонённые строки (последние {rejects.height} из {total}; все — страница «Данные» панели)")
        for col in ("Партия", "Файл", "Строка", "Столбец", "Значение", "Причина"):
            t.add_column(col)
        for r in rejects.iter_rows(named=True):
            t.add_row(str(r["batch_id"]), r["file_name"], "" if r["line"] is None else str(r["line"]),
                      r["column_name"] or "", r["value"] or "",
                      r["reason"])
        console.print(t)
    if st.outside_group.height:
        counts = ", ".join(f"{table_title(r['table_name'])} — {r['rows']}" for r in st.outside_group.iter_rows(named=True))
        console.print(
            f"[yellow]Ученик не состоял в классе (группе) урока на дату урока:[/yellow] {counts}. Строки загружены; "
            "проверьте даты зачисления и выбытия в составах классов или класс урока в выгрузке ЭЖ."
        )
    for r in st.freshness.iter_rows(named=True):
        console.print(
            f"Свежесть («{r['school_name']}»): последний урок {fmt.date(r['last_lesson_date'])}, "
            f"последняя отметка внесена {fmt.moment(r['last_mark_entered_at'])}, "
            f"последняя загрузка {fmt.moment(r['last_load_finished_at'])}"
        )
