"""`zavuch status`: what is loaded."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.common import DbOption, db_path, fail
from etl.report import BATCH_STATUS, table_title
from etl.warehouse import WarehouseMissing, connect_readonly
from queries.status import WarehouseStatus, warehouse_status



def register(app: typer.Typer) -> None:
    app.command(
        "status",
        help="Что загружено: школы, годы, периоды, число строк по таблицам, последние загрузки, "
        "причины отклонения строк, свежесть данных.",
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
    finally:
        con.close()
    if as_json:
        typer.echo(json.dumps({"warehouse": str(path), **st.as_dict()}, ensure_ascii=False, default=str, indent=2))
        return
    print_status(st, str(path))


def print_status(st: WarehouseStatus, path: str, console: Console | None = None) -> None:
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
    t = Table(title="Строк в хранилище")
    t.add_column("Таблица")
    t.add_column("Строк", justify="right")
    t.add_column("Из них удалено в источнике", justify="right")
    for r in st.row_counts.iter_rows(named=True):
        t.add_row(table_title(r["table_name"]), f"{r['rows']:,}".replace(",", " "),
                  str(r["deleted"]) if r["deleted"] else "")
    console.print(t)
    if st.batches.height:
        t = Table(title="Последние загрузки")
        for col in ("№", "Источник", "Статус", "Начало", "Загружено", "Без изменений", "Отклонено", "Удалено"):
            t.add_column(col)
        for r in st.batches.iter_rows(named=True):
            t.add_row(str(r["batch_id"]), r["source_system"], BATCH_STATUS.get(r["status"], r["status"]), str(r["started_at"])[:19],
                      str(r["rows_loaded"]), str(r["rows_unchanged"]), str(r["rows_rejected"]), str(r["rows_deleted"]))
        console.print(t)
    if st.reject_reasons.height:
        t = Table(title="Причины отклонения строк")
        for col in ("Таблица", "Причина", "Строк"):
            t.add_column(col)
        for r in st.reject_reasons.head(10).iter_rows(named=True):
            t.add_row(table_title(r["table_name"]), r["reason"], str(r["rows"]))
        console.print(t)
    for r in st.freshness.iter_rows(named=True):
        console.print(
            f"Свежесть ({r['school_id']}): последний урок {r['last_lesson_date'] or '—'}, "
            f"последняя отметка внесена {str(r['last_mark_entered_at'] or '—')[:16]}, "
            f"последняя загрузка {str(r['last_load_finished_at'] or '—')[:16]}"
        )
