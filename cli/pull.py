"""`zavuch pull SYSTEM --config FILE`: one scheduled pull from a live API (safe to run from cron)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.common import DbOption, fail, record_action
from cli.help_ru import examples
from cli.load import print_report
from etl.adapters import pull_systems
from etl.adapters.pull import PullBusy, PullError, load_config, run_pull

EXIT_BUSY = 75  # EX_TEMPFAIL: the previous run is still going; cron simply tries again next time


def register(app: typer.Typer) -> None:
    app.command(
        "pull",
        help="Выгрузить журнал из API системы ЭЖ и загрузить его одной партией. Настройки и путь к токену — "
        "в файле --config (токен берётся из файла или переменной окружения, не из командной строки). "
        "Подходит для запуска по расписанию: параллельный запуск пропускается, неудачная выгрузка ничего "
        "не меняет. См. docs/adapters.md.",
        epilog=examples("zavuch pull dnevnik_ru --config /etc/zavuch/pull-dnevnik.toml",
                        "zavuch pull eljur --config /etc/zavuch/pull-eljur.toml --db /srv/zavuch/zavuch.duckdb"),
    )(pull)


def pull(
    system: Annotated[str, typer.Argument(metavar="СИСТЕМА", help="Система: dnevnik_ru, kundelik_kz или eljur.", show_default=False)],
    config: Annotated[Path, typer.Option("--config", help="Файл настроек выгрузки (TOML).", show_default=False)],
    db: DbOption = None,
) -> None:
    console = Console(stderr=True)
    try:
        pull_systems.get(system)  # «mesh» is refused as a system before its config is read
        cfg = load_config(config)
        if cfg.system != system:
            raise fail(f"{config}: в файле настроек system = «{cfg.system}», а в команде «{system}»")
        result = run_pull(config, db)
    except PullBusy as e:
        raise fail(str(e), EXIT_BUSY) from None
    except PullError as e:
        raise fail(f"{e}\nХранилище не изменено.") from None
    record_action(result.db, "load", system=system, config=str(config), batch_id=result.report.batch_id,
                  status=result.report.status, rows_rejected=result.report.rows_rejected)
    for note in result.notes:
        console.print(f"[yellow]Примечание:[/yellow] {note}")
    previous = f", предыдущая — {result.previous_pull_at:%d.%m.%Y %H:%M}" if result.previous_pull_at else ""
    console.print(f"Выгрузка {result.fetched_at:%d.%m.%Y %H:%M:%S}{previous}; запросов к API: {result.requests}.")
    print_report(result.report, console)
