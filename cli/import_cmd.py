"""`zavuch import SYSTEM PATH`: map a system's files (saved page, recorded API responses) into a bundle
and load it as one batch, exactly like `zavuch load`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console

from cli.common import DbOption, db_path, fail, record_action
from cli.help_ru import examples
from cli.load import interrupted, is_interrupt, print_report
from cli.progress import RichLoadProgress
from etl.adapters import ADAPTERS, AdapterError, ImportOptions, adapter, import_extract
from etl.adapters.base import school_zone
from etl.loader import BundleRefused, latest_batch_id


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help="Загрузить данные другой системы ЭЖ из файла: СИСТЕМА — одна из "
        f"{', '.join(ADAPTERS)}; ПУТЬ — сохранённая страница отчёта или записанные ответы API "
        "(docs/adapters.md). Данные переводятся в пакет стандартного формата и загружаются одной партией, "
        "как zavuch load.",
        epilog=examples('zavuch import elschool "Табель успеваемости.html" --school-name "Школа № 8" '
                        '--class 5А --grade 5 --student "Иванов Иван Иванович"',
                        "zavuch import eljur /media/usb/responses.jsonl --timezone Asia/Yekaterinburg",
                        "zavuch import sql /etc/zavuch/mapping.toml --keep-bundle /tmp/пакет-проверка"),
    )(import_cmd)


def import_cmd(
    system: Annotated[str, typer.Argument(metavar="СИСТЕМА", help="Система: " + ", ".join(ADAPTERS), show_default=False)],
    path: Annotated[Path, typer.Argument(metavar="ПУТЬ", help="Файл или папка с данными системы.", show_default=False)],
    db: DbOption = None,
    school_name: Annotated[str | None, typer.Option("--school-name", help="Название школы, если его нет в файле.")] = None,
    class_name: Annotated[str | None, typer.Option("--class", help="Класс (например 3А), если его нет в файле.")] = None,
    grade: Annotated[int | None, typer.Option("--grade", min=1, max=11, help="Параллель класса, если её нет в файле.")] = None,
    student: Annotated[str | None, typer.Option("--student", help="ФИО ученика, если его нет в файле.")] = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", help="Часовой пояс школы (IANA). По умолчанию — пояс из данных системы (Дневник.ру), "
        "иначе Europe/Moscow.", show_default=False)] = None,
    keep_bundle: Annotated[
        Path | None, typer.Option("--keep-bundle", help="Сохранить построенный пакет в эту папку (для проверки).")
    ] = None,
) -> None:
    console = Console(stderr=True)
    if not path.exists():
        raise fail(f"{path}: нет такого файла или папки")
    if keep_bundle is not None and keep_bundle.exists() and (not keep_bundle.is_dir() or any(keep_bundle.iterdir())):
        # the bundle's marks.csv, people.csv, … would overwrite what is there, and stale tables would stay
        raise fail(f"--keep-bundle {keep_bundle}: папка не пуста (или это файл); укажите новую папку\nНичего не записано.")
    options = ImportOptions(school_name=school_name, class_name=class_name, grade=grade, student_name=student,
                            timezone=timezone)
    before = latest_batch_id(db_path(db))
    try:
        if timezone is not None:
            school_zone(timezone)  # a misspelt --timezone is refused before the school is written with it
        extract = adapter(system).read(path, options)
        with RichLoadProgress(console) as progress:
            result = import_extract(extract, db_path(db), keep_bundle=keep_bundle, progress=progress)
    except AdapterError as e:
        raise fail(f"{e}\nНичего не записано.") from None
    except BundleRefused as e:
        raise fail(f"{e}\nНичего не записано.") from None
    except (KeyboardInterrupt, RuntimeError, duckdb.InterruptException) as e:
        if not is_interrupt(e):
            raise
        raise interrupted(db_path(db), before) from None
    record_action(db, "load", bundle=str(path), system=system, batch_id=result.report.batch_id,
                  status=result.report.status, rows_rejected=result.report.rows_rejected)
    for note in extract.notes:
        console.print(f"[yellow]Примечание:[/yellow] {note}")
    print_report(result.report, console)
