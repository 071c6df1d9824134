"""`zavuch load PATH`: load a canonical bundle (folder or .zip) as one atomic batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from cli.common import EXIT_INTERRUPTED, DbOption, db_path, fail, record_action
from cli.help_ru import examples
from cli.progress import RichLoadProgress
from etl.loader import BundleRefused, LoadReport, latest_batch_id, load_bundle
from etl.report import table_title


def register(app: typer.Typer) -> None:
    app.command(
        "load",
        help="Загрузить пакет данных ЭЖ (папка или .zip: по файлу на таблицу, CSV/XLSX/Parquet/JSONL) одной "
        "партией: либо загружается всё, либо ничего не меняется. Ошибочные строки откладываются с указанием "
        "файла, строки, столбца и причины; повторная загрузка того же пакета ничего не меняет. "
        "Формат: docs/data-format.md.",
        epilog=examples("zavuch load /media/usb/выгрузка-ЭЖ.zip",
                        "zavuch load ./пакет --db /srv/zavuch/zavuch.duckdb"),
    )(load)


def load(
    path: Annotated[Path, typer.Argument(metavar="ПУТЬ", help="Папка или .zip с файлами таблиц.", show_default=False)],
    db: DbOption = None,
) -> None:
    run_load(path, db_path(db), Console(stderr=True))


def run_load(bundle: Path, db: Path, console: Console) -> LoadReport:
    """Load with a progress bar per file and print the summary; exit 2 on refused input."""
    before = latest_batch_id(db)
    try:
        with RichLoadProgress(console) as progress:
            report = load_bundle(bundle, db, progress=progress)
    except BundleRefused as e:
        raise fail(f"{e}\nНичего не записано.") from None
    except (KeyboardInterrupt, RuntimeError, duckdb.InterruptException) as e:
        if not is_interrupt(e):
            raise
        raise interrupted(db, before) from None
    record_action(db, "load", bundle=str(bundle), batch_id=report.batch_id, status=report.status,
                  rows_rejected=report.rows_rejected)
    print_report(report, console)
    return report


def is_interrupt(e: BaseException) -> bool:
    """Ctrl+C: a KeyboardInterrupt between queries; during a DuckDB query, DuckDB 2.0's
    RuntimeError('Query interrupted') (its InterruptException elsewhere), which would end in a traceback."""
    return isinstance(e, (KeyboardInterrupt, duckdb.InterruptException)) or (
        isinstance(e, RuntimeError) and str(e) == "Query interrupted")


def interrupted(db: Path, before: int | None) -> typer.Exit:
    """Ctrl+C during a load: say whether its batch was written (the swap of the warehouse file is the load's
    last step). Typer's own answer was silence, after progress bars that may all read full."""
    after = latest_batch_id(db)
    if after != before:
        what = f"партия № {after} уже записана в хранилище {db}; её итоги — zavuch status"
    elif not db.exists():
        what = f"ничего не записано, хранилище {db} не создано"
    else:
        what = f"ничего не записано, хранилище {db} прежнее" + (f" (последняя партия № {before})" if before else "")
    return fail(f"загрузка прервана (Ctrl+C): {what}.", EXIT_INTERRUPTED)


def print_report(report: LoadReport, console: Console) -> None:
    if report.status == "unchanged":
        console.print(
            f"[bold]Пакет уже загружен[/bold] (партия № {report.batch_id}): данные не изменились, хранилище не тронуто."
        )
        return
    t = Table(title=f"Загрузка, партия № {report.batch_id} ({report.elapsed_seconds:.1f} с)")
    for col in ("Таблица", "Прочитано", "Новых", "Изменено", "Без изменений", "Отклонено", "Удалено в источнике"):
        t.add_column(col, justify="left" if col == "Таблица" else "right")
    for c in report.tables:
        t.add_row(table_title(c.table), str(c.read), str(c.inserted), str(c.updated), str(c.unchanged), str(c.rejected), str(c.deleted))
    console.print(t)
    if report.top_reject_reasons:
        t = Table(title="Частые причины отклонения по файлам (строка и столбец каждой строки: zavuch status или "
                  "страница «Данные» панели)")
        t.add_column("Файл", overflow="fold")
        t.add_column("Таблица")
        t.add_column("Причина")
        t.add_column("Строк", justify="right")
        for r in report.top_reject_reasons:
            t.add_row(r.file, table_title(r.table), r.reason, str(r.rows))
        console.print(t)
    if report.new_warehouse_note:
        console.print(f"[yellow]{report.new_warehouse_note}[/yellow]", soft_wrap=True)  # the path whole, to copy
