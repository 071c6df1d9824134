"""`zavuch metrics`: list the metrics, or print one over a period or a date range."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

import queries
from cli.common import DbOption, fail, json_text, open_with_norms, record_students_shown
from dashboard.fmt import (
    LIGHT_WORDS,
    as_text,
    figure,
    figure_change,
    for_files,
    named,
    not_ended,
    source_names,
    to_csv,
)
from etl.norms import NormsError, load_norms
from queries.composed import COMPOSED, ComposedInfo
from queries.deck import RESULTS_OF_PERIOD_MARKS, Lookups, lookups, periods_not_ended
from queries.scorecard import with_finding_titles
from reports.text import counted, number, plural

TABLE_ROWS = 200  # a terminal table beyond this is unreadable; csv/json print everything


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command(
        "metrics",
        help="Показатели семестрового контроля. Без имени: список показателей. "
        "С именем: показатель за период (--period) или за даты (--from, --to) с фильтрами.",
    )(metrics)


def parse_date(text: str | None, option: str) -> dt.date | None:
    """ISO (2025-09-01) or Russian (01.09.2025) date; a clear message otherwise."""
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise fail(f"{option}: «{text}» не дата; пишите ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")


def metrics(
    name: Annotated[str | None, typer.Argument(metavar="ПОКАЗАТЕЛЬ", help="Имя показателя (список: zavuch metrics).", show_default=False)] = None,
    period: Annotated[str | None, typer.Option("--period", help="ИД отчётного периода.", show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", metavar="ДАТА", help="Начало: ГГГГ-ММ-ДД.", show_default=False)] = None,
    date_to: Annotated[str | None, typer.Option("--to", metavar="ДАТА", help="Конец: ГГГГ-ММ-ДД.", show_default=False)] = None,
    school: Annotated[str | None, typer.Option("--school", help="ИД школы.", show_default=False)] = None,
    level: Annotated[str | None, typer.Option("--level", help="Уровень: 1-4, 5-9 или 10-11.", show_default=False)] = None,
    grade: Annotated[int | None, typer.Option("--grade", help="Параллель 1–11.", show_default=False)] = None,
    group: Annotated[str | None, typer.Option("--class", help="ИД класса (с его подгруппами) или группы.",
                                              show_default=False)] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="ИД предмета.", show_default=False)] = None,
    teacher: Annotated[str | None, typer.Option("--teacher", help="ИД учителя.", show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="ДАТА", help="День проверки (по умолчанию сегодня).",
                                              show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Вывод: table, csv или json.")] = Format.table,
    db: DbOption = None,
    norms_file: Annotated[Path | None, typer.Option("--norms", help="Файл норм школы (TOML), дополняет "
                                                    "etl/norms.toml.", show_default=False)] = None,
) -> None:
    if name is None:
        try:
            print_catalog(fmt, load_norms(norms_file))
        except NormsError as e:
            raise fail(str(e)) from None
        return
    if name not in {m.name for m in queries.METRICS} and name not in COMPOSED:
        raise fail(str(queries.UnknownMetric(name)))
    scope = queries.Scope(
        period_id=period, date_from=parse_date(date_from, "--from"), date_to=parse_date(date_to, "--to"),
        school_id=school, level=level, grade=grade, group_id=group, subject_id=subject, teacher_id=teacher,
        as_of=parse_date(as_of, "--as-of"),
    )
    con, norms = open_with_norms(db, norms_file)
    try:
        df = COMPOSED[name].compute(con, scope, norms) if name in COMPOSED else queries.run(con, name, scope, norms)
        names = lookups(con)
        running = periods_not_ended(con, scope) if name in RESULTS_OF_PERIOD_MARKS else None
    except (queries.ScopeError, NormsError) as e:
        raise fail(str(e)) from None
    finally:
        con.close()
    record_students_shown(db, f"metrics {name}", df, format=fmt.value, **scope_detail(scope))
    print_frame(name, scope, df, fmt, norms, names)
    if running is not None and running.height:  # on stderr: the CSV and JSON on stdout stay data
        typer.echo(not_ended(running), err=True)


def scope_detail(scope: queries.Scope) -> dict[str, object]:
    """The filters of a request as the audit log records them (only those given)."""
    return {k: v for k, v in dataclasses.asdict(scope).items() if v is not None}


def print_catalog(fmt: Format, norms: dict) -> None:
    """The metrics, then the frames the deck composes of them (queries.composed: family «composed»)."""
    rows = [{"name": m.name, "title": m.title, "family": m.family, "clause": m.clause, "basis": m.basis,
             "description": m.description} for m in queries.catalog(norms)]
    rows += [{"name": c.name, "title": c.title, "family": "composed", "clause": c.clause, "basis": c.basis,
              "description": c.description} for c in COMPOSED.values()]
    family = {**queries.FAMILIES, "composed": COMPOSED_FAMILY}
    if fmt is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:  # for a spreadsheet, like a metric's CSV; the clauses' sources are in the JSON
        typer.echo(to_csv(pl.DataFrame({
            "Имя": [r["name"] for r in rows], "Показатель": [r["title"] for r in rows],
            "Раздел": [family[r["family"]] for r in rows], "Основание": [r["basis"] for r in rows],
            "Описание": [r["description"] for r in rows]})), nl=False)
    else:
        t = Table(title="Показатели (zavuch metrics ИМЯ --period ИД)")
        for col in ("Имя", "Показатель", "Раздел", "Основание"):
            t.add_column(col)
        for r in rows:
            t.add_row(r["name"], r["title"], family[r["family"]], r["basis"])
        Console().print(t)


COMPOSED_FAMILY = "Сводные (как на страницах панели)"


def _as_shown(name: str, df: pl.DataFrame, norms: dict) -> pl.DataFrame:
    """A composed frame as its page shows it: the Обзор's figures in their units, worded; the scorecard's
    findings headed by their titles. A metric's frame is unchanged."""
    if name == "overview":
        return pl.DataFrame({
            "Показатель": df["title"],
            "Значение": [figure(u, v) for u, v in zip(df["unit"], df["value"], strict=True)],
            "В прошлом периоде": [figure(u, v) for u, v in zip(df["unit"], df["previous"], strict=True)],
            "Изменение": [figure_change(u, v) or "—" for u, v in zip(df["unit"], df["change"], strict=True)],
            "Оценка": [LIGHT_WORDS[light] if u != "count" else "—" for u, light in
                       zip(df["unit"], df["light"], strict=True)],
        })
    if name == "teacher_scorecard":
        return with_finding_titles(df, norms)
    return df


def print_frame(name: str, scope: queries.Scope, df: pl.DataFrame, fmt: Format, norms: dict,
                names: Lookups) -> None:
    """JSON: the metric's frame as the deck and the documents get it (machine data: ids, shares as fractions).
    The table is for a person: ids become names, headers Russian and values as on the deck's
    pages (dd.mm.yyyy, «да»). CSV is for a spreadsheet: the file the deck's «Скачать CSV» writes for the same
    frame (names, Russian headers, shares in percent with «, %» in the header, «;», decimal comma, BOM)."""
    info: queries.MetricInfo | ComposedInfo = COMPOSED.get(name) or next(
        m for m in queries.catalog(norms) if m.name == name)
    if fmt is Format.json:
        scope_dict = {k: v for k, v in vars(scope).items() if v is not None}
        out = {"metric": name, "title": info.title, "clause": info.clause, "basis": info.basis, "scope": scope_dict,
               "rows": df.to_dicts()}
        typer.echo(json_text(out))
        return
    shown = _as_shown(name, df, norms)
    if fmt is Format.csv:
        typer.echo(to_csv(for_files(named(shown, names), source_names(shown))), nl=False)
        return
    flat = as_text(named(shown, names), source_names(shown))
    console = Console()
    t = Table(title=f"{info.title} ({info.basis}): {counted(df.height, 'строка', 'строки', 'строк')}")
    for col in flat.columns:
        t.add_column(col)
    for row in flat.head(TABLE_ROWS).iter_rows():
        t.add_row(*("" if v is None else str(v) for v in row))
    console.print(t)
    if df.height > TABLE_ROWS:
        console.print(f"Показаны первые {TABLE_ROWS} из {number(df.height)} {plural(df.height, 'строки', 'строк', 'строк')}; "
                      "весь список: --format csv или json.")
