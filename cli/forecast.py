"""`zavuch forecast`: period-mark forecasts as of a day, the backtest on the school's history, and the
evaluation on public data sets (queries.forecast)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

import queries
from cli.common import DbOption, fail, json_text, open_with_norms, record_students_shown
from cli.help_ru import Typer
from cli.metrics import parse_date, scope_detail
from dashboard.fmt import for_files, to_csv
from etl.norms import NormsError
from queries.forecast import backtest as run_backtest
from queries.forecast import class_forecasts, marking_pace, student_forecasts
from queries.forecast.datasets import DATA_DIR, DATASETS, DatasetError
from queries.forecast.datasets import evaluate as run_evaluate


class Format(str, Enum):
    csv = "csv"
    json = "json"


NormsOption = Annotated[Path | None, typer.Option("--norms", help="Файл норм школы (TOML), дополняет etl/norms.toml.",
                                                  show_default=False)]

app = Typer(help="Прогноз итоговых отметок за период и раннее предупреждение (риск «2» или «н/а»).",
                  no_args_is_help=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="forecast")


@app.callback(invoke_without_command=True)
def forecast(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="ДАТА", help="День прогноза Д: учитываются только записи, "
                                              "внесённые в журнал до конца этого дня.", show_default=False)] = None,
    period: Annotated[str | None, typer.Option("--period", help="ИД отчётного периода (по умолчанию периоды, "
                                               "в которые попадает Д).", show_default=False)] = None,
    school: Annotated[str | None, typer.Option("--school", help="ИД школы.", show_default=False)] = None,
    level: Annotated[str | None, typer.Option("--level", help="Уровень: 1-4, 5-9 или 10-11.", show_default=False)] = None,
    grade: Annotated[int | None, typer.Option("--grade", help="Параллель 1–11.", show_default=False)] = None,
    group: Annotated[str | None, typer.Option("--class", help="ИД класса или группы.", show_default=False)] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="ИД предмета.", show_default=False)] = None,
    teacher: Annotated[str | None, typer.Option("--teacher", help="ИД учителя.", show_default=False)] = None,
    classes: Annotated[bool, typer.Option("--classes", help="Прогноз успеваемости и качества по классам "
                                          "вместо строк по ученикам.")] = False,
    pace: Annotated[bool, typer.Option("--pace", help="Классы и предметы, где мало отметок у большинства класса "
                                       "(редко выставляет отметки учитель), вместо строк по ученикам.")] = False,
    rule_only: Annotated[bool, typer.Option("--rule", help="Только правило (средневзвешенный с округлением "
                                            "школы), без обученной модели.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Вывод: csv или json.")] = Format.csv,
    db: DbOption = None,
    norms_file: NormsOption = None,
) -> None:
    """Прогноз по каждому ученику и предмету на день Д: вероятности 2/3/4/5/н/а, причины, что нужно для
    следующей отметки."""
    if ctx.invoked_subcommand is not None:
        return
    day = parse_date(as_of, "--as-of")
    if day is None:
        raise fail("укажите день прогноза: --as-of ГГГГ-ММ-ДД")
    if classes and pace:
        raise fail("--classes и --pace выводят разные таблицы: укажите что-то одно")
    scope = queries.Scope(period_id=period, school_id=school, level=level, grade=grade, group_id=group,
                          subject_id=subject, teacher_id=teacher)
    con, norms = open_with_norms(db, norms_file)
    try:
        rows = student_forecasts(con, scope, day, norms, method="rule" if rule_only else "auto")
    except (queries.ScopeError, NormsError) as e:
        raise fail(str(e)) from None
    finally:
        con.close()
    if rows.is_empty():
        raise fail(f"на {day:%d.%m.%Y} в выбранном охвате нет ни одного отчётного периода с учениками")
    out = class_forecasts(rows) if classes else marking_pace(rows) if pace else rows
    record_students_shown(db, "forecast", out, format=fmt.value, as_of=day, **scope_detail(scope))
    if fmt is Format.json:
        typer.echo(json_text(out.to_dicts()))
    else:  # for Russian Excel, as `zavuch metrics --format csv`; probabilities stay fractions (docs/forecast.md)
        typer.echo(to_csv(for_files(out, out.columns)), nl=False)


@app.command("backtest", help="Проверка на истории школы: прогноз на 25, 50 и 75 % каждого прошедшего "
             "периода против выставленных отметок, модель и правило рядом.")
def backtest(
    school: Annotated[str | None, typer.Option("--school", help="ИД школы.", show_default=False)] = None,
    db: DbOption = None,
    norms_file: NormsOption = None,
) -> None:
    con, norms = open_with_norms(db, norms_file)
    try:
        if school is not None and not queries.known(con, "school", school):
            raise fail(queries.not_found(con, "school", school))
        result = run_backtest(con, school, norms)
    finally:
        con.close()
    if not result["periods"]:
        raise fail("в хранилище нет завершённых периодов с выставленными отметками: проверять не на чем")
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@app.command("evaluate", help="Оценка прогноза на открытых данных: uci-mat, uci-por (UCI Student "
             "Performance), oulad (Open University).")
def evaluate(
    dataset: Annotated[str, typer.Option("--dataset", help=f"Набор: {', '.join(DATASETS)}.")],
    cutoff: Annotated[float | None, typer.Option("--cutoff", help="Срез как доля периода (0.25, 0.5, …); "
                                                 "UCI: до 2/3 года известна только G1.", show_default=False)] = None,
    repeats: Annotated[int, typer.Option("--repeats", help="UCI: повторы 10-кратной кросс-проверки.")] = 20,
    data: Annotated[Path, typer.Option("--data", help="Папка с наборами данных.")] = DATA_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON (по умолчанию тоже JSON).")] = True,
) -> None:
    try:
        result = run_evaluate(dataset, cutoff, data, repeats)
    except DatasetError as e:
        raise fail(str(e)) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2 if as_json else None))
