"""`zavuch pismo`: the forecast letter to parents of one class (reports.forecast_letter), a page per student."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import queries
from cli.common import DbOption, fail, open_with_norms
from cli.metrics import parse_date
from cli.spravka import FormatOpt, write_document
from etl.norms import NormsError
from reports import forecast_letter


def register(app: typer.Typer) -> None:
    app.command("pismo", help="Письмо родителям с прогнозом отметок за период: страница на ученика класса.")(pismo_cmd)


def pismo_cmd(
    group: Annotated[str, typer.Option("--class", help="ИД класса.")],
    as_of: Annotated[str, typer.Option("--as-of", metavar="ДАТА", help="День прогноза и дата письма: ГГГГ-ММ-ДД (учитываются "
                                       "записи, внесённые в журнал до конца этого дня).")],
    out: Annotated[Path, typer.Option("--out", help="Файл, куда записать письмо.")],
    fmt: FormatOpt = None,
    db: DbOption = None,
    norms_file: Annotated[Path | None, typer.Option("--norms", help="Файл норм школы (TOML).",
                                                    show_default=False)] = None,
) -> None:
    day = parse_date(as_of, "--as-of")
    con, norms = open_with_norms(db, norms_file)
    try:
        if not queries.known(con, "class", group):
            raise fail(queries.not_found(con, "class", group))
        doc = forecast_letter.build(con, group, day, norms)
    except (queries.ScopeError, NormsError) as e:
        raise fail(str(e)) from None
    finally:
        con.close()
    if not doc.blocks:
        raise fail(f"на {day:%d.%m.%Y} у класса «{group}» нет отчётного периода с учениками: прогнозировать нечего")
    write_document(doc, fmt, out, db, "pismo")
