"""Document commands: `zavuch spravka`, `zavuch prikaz`, `zavuch vedomost`, `zavuch raspechatka`."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated

import duckdb
import polars as pl
import typer

import queries
from cli.common import DbOption, db_path, fail, open_with_norms, record_action
from cli.metrics import parse_date
from etl.norms import NormsError, load_norms
from etl.warehouse import WarehouseMissing, connect_readonly
from queries.deck import lookups
from queries.scope import resolve
from reports import prikaz, render_docx, render_pdf, spravka, svodnaya, weekly
from reports.model import Document
from reports.templates import TemplatesError, load_templates


class Format(str, Enum):
    pdf = "pdf"
    docx = "docx"


def register(app: typer.Typer) -> None:
    app.command("spravka", help="Справка по итогам проверки ведения электронного журнала (PDF или DOCX).")(spravka_cmd)
    app.command("prikaz", help="Проект приказа «Об итогах проверки ведения электронного журнала» по той же проверке.")(
        prikaz_cmd)
    app.command("vedomost", help="Сводные ведомости успеваемости всех классов (или одного) за период или за год.")(
        vedomost_cmd)
    app.command("raspechatka", help="Еженедельная распечатка для родителей: страница на ученика класса.")(
        raspechatka_cmd)


PeriodOpt = Annotated[str | None, typer.Option("--period", help="ИД отчётного периода.", show_default=False)]
FromOpt = Annotated[str | None, typer.Option("--from", metavar="ДАТА", help="Начало: ГГГГ-ММ-ДД.", show_default=False)]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="ДАТА", help="Конец: ГГГГ-ММ-ДД.", show_default=False)]
SchoolOpt = Annotated[str | None, typer.Option("--school", help="ИД школы.", show_default=False)]
LevelOpt = Annotated[str | None, typer.Option("--level", help="Уровень: 1-4, 5-9 или 10-11.", show_default=False)]
GradeOpt = Annotated[int | None, typer.Option("--grade", help="Параллель 1–11.", show_default=False)]
ClassOpt = Annotated[str | None, typer.Option("--class", help="ИД класса.", show_default=False)]
TeacherOpt = Annotated[str | None, typer.Option("--teacher", help="ИД учителя.", show_default=False)]
DateOpt = Annotated[str | None, typer.Option("--date", metavar="ДАТА", help="Дата документа и проверки (по умолчанию сегодня).",
                                             show_default=False)]
SignerOpt = Annotated[str | None, typer.Option("--signer", help="Кто подписывает: «Фамилия И. О.».", show_default=False)]
FormatOpt = Annotated[Format | None, typer.Option("--format", help="pdf или docx; по умолчанию — по расширению "
                                                 "--out (.pdf, .docx), иначе pdf.", show_default=False)]
OutOpt = Annotated[Path, typer.Option("--out", help="Файл, куда записать документ.")]
NormsOpt = Annotated[Path | None, typer.Option("--norms", help="Файл норм школы (TOML).", show_default=False)]
TemplatesOpt = Annotated[Path | None, typer.Option("--templates", help="Формулировки справки и приказа (TOML), "
                                                   "дополняют reports/templates.toml.", show_default=False)]


SUFFIX_FORMATS = {".pdf": Format.pdf, ".docx": Format.docx}


def document_format(fmt: Format | None, out: Path, default: Format = Format.pdf) -> Format:
    """The format asked for, else the one --out's suffix names, else the command's default; a PDF is
    never written into a .docx file (Word would refuse to open it) nor the other way round."""
    by_suffix = SUFFIX_FORMATS.get(out.suffix.lower())
    if fmt is None:
        return by_suffix or default
    if by_suffix is not None and by_suffix is not fmt:
        raise fail(f"--out {out.name}: расширение {out.suffix} не подходит для --format {fmt.value}; "
                   f"назовите файл *.{fmt.value} или уберите --format")
    return fmt


def write_document(doc: Document, fmt: Format | None, out: Path, db: Path | None, command: str,
                   default: Format = Format.pdf) -> None:
    """Write atomically: a half-written document never replaces a good one."""
    fmt = document_format(fmt, out, default)
    data = render_pdf(doc) if fmt is Format.pdf else render_docx(doc)
    out = out.resolve()
    if not out.parent.is_dir():
        raise fail(f"папка {out.parent} не существует")
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    record_action(db_path(db), "document", command=command, file=str(out), format=fmt.value)
    typer.echo(f"Записано: {out} ({len(data) // 1024} КБ)")


def document_school(con: duckdb.DuckDBPyConnection, school: str | None, *, period: str | None = None,
                    year: str | None = None, group: str | None = None, teacher: str | None = None) -> str:
    """The one school a document is for: named, else the school of its period, year, class or teacher,
    else the warehouse's only school. A period, year, class or teacher of another school is refused: the
    document would print one school's heading over another's pupils, or an empty справка."""
    lk = lookups(con)
    owners = []
    for what, frame, id_ in (("период", lk.periods, period), ("учебный год", lk.years, year),
                             ("класс", lk.groups, group), ("учитель", lk.people, teacher)):
        rows = frame.filter(pl.col("id") == id_) if id_ is not None else frame.clear()
        if rows.height:  # an unknown id is reported by the checks that follow, in their words
            owners.append((what, id_, rows["school_id"][0]))
    school_id = queries.school_of(con, school if school is not None or not owners else owners[0][2])
    for what, id_, owner in owners:
        if owner != school_id:
            raise queries.ScopeError(f"{what} «{id_}» относится к другой школе ({owner}), а документ — для школы "
                                     f"{school_id}")
    if period is not None and group is not None:  # a 2В in a half-year of 10–11: the scope's own check
        resolve(con, queries.Scope(period_id=period, school_id=school_id, group_id=group))
    return school_id


def require_class(con: duckdb.DuckDBPyConnection, group: str) -> None:
    """A ведомость or a printout is for a whole class: a subgroup (2А's first English group) would print
    half of the class under the class's name."""
    if queries.known(con, "class", group):
        return
    if queries.known(con, "group", group):
        raise fail(f"«{group}» — подгруппа, а не класс: укажите ИД класса")
    raise fail(queries.not_found(con, "class", group))


def _build_spravka(period, date_from, date_to, school, level, grade, group, teacher, date, signer, db, norms_file,
                   templates_file) -> spravka.Spravka:
    day = parse_date(date, "--date") or dt.date.today()
    date_from, date_to = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    try:
        options = spravka.SpravkaOptions(date=day, signer=signer, templates=load_templates(templates_file),
                                         norms=load_norms(norms_file))
        con = connect_readonly(db_path(db))
    except (NormsError, TemplatesError, WarehouseMissing) as e:
        raise fail(str(e)) from None
    try:
        school_id = document_school(con, school, period=period, group=group, teacher=teacher)
        scope = queries.Scope(period_id=period, date_from=date_from, date_to=date_to, school_id=school_id,
                              level=level, grade=grade, group_id=group, teacher_id=teacher, as_of=day)
        return spravka.build(con, scope, options)
    except (queries.ScopeError, NormsError) as e:
        raise fail(str(e)) from None
    finally:
        con.close()


def spravka_cmd(out: OutOpt, period: PeriodOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
                school: SchoolOpt = None, level: LevelOpt = None, grade: GradeOpt = None, group: ClassOpt = None,
                teacher: TeacherOpt = None, date: DateOpt = None, signer: SignerOpt = None,
                fmt: FormatOpt = None, db: DbOption = None, norms_file: NormsOpt = None,
                templates_file: TemplatesOpt = None) -> None:
    s = _build_spravka(period, date_from, date_to, school, level, grade, group, teacher, date, signer, db,
                       norms_file, templates_file)
    write_document(s.document, fmt, out, db, "spravka")


def prikaz_cmd(out: OutOpt, period: PeriodOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
               school: SchoolOpt = None, level: LevelOpt = None, grade: GradeOpt = None, group: ClassOpt = None,
               teacher: TeacherOpt = None, date: DateOpt = None,
               director: Annotated[str | None, typer.Option("--director", help="Директор: «Фамилия И. О.».",
                                                            show_default=False)] = None,
               fmt: Annotated[Format | None, typer.Option(
                   "--format", help="pdf или docx; по умолчанию — по расширению --out (.pdf, .docx), иначе docx.",
                   show_default=False)] = None,
               db: DbOption = None, norms_file: NormsOpt = None, templates_file: TemplatesOpt = None) -> None:
    s = _build_spravka(period, date_from, date_to, school, level, grade, group, teacher, date, None, db,
                       norms_file, templates_file)
    write_document(prikaz.build(s, director), fmt, out, db, "prikaz", default=Format.docx)


def vedomost_cmd(out: OutOpt, period: PeriodOpt = None,
                 year: Annotated[str | None, typer.Option("--year", help="ИД учебного года: годовые отметки.",
                                                          show_default=False)] = None,
                 school: SchoolOpt = None, group: ClassOpt = None, date: DateOpt = None,
                 fmt: FormatOpt = None, db: DbOption = None, norms_file: NormsOpt = None) -> None:
    if (period is None) == (year is None):
        raise fail("укажите либо период (--period), либо учебный год (--year)")
    day = parse_date(date, "--date") or dt.date.today()
    con, norms = open_with_norms(db, norms_file)
    try:
        if period is not None and not queries.known(con, "period", period):
            raise fail(queries.not_found(con, "period", period))
        if year is not None and not queries.known(con, "academic_year", year):
            raise fail(queries.not_found(con, "academic_year", year))
        if group is not None:
            require_class(con, group)
        doc = svodnaya.build(con, document_school(con, school, period=period, year=year, group=group),
                             period_id=period, academic_year_id=year,
                             group_id=group, date=day, norms=norms)
    except queries.ScopeError as e:
        raise fail(str(e)) from None
    finally:
        con.close()
    if not doc.blocks:
        raise fail("за выбранный период нет ни одного класса с отметками")
    write_document(doc, fmt, out, db, "vedomost")


def raspechatka_cmd(out: OutOpt,
                    group: Annotated[str, typer.Option("--class", help="ИД класса.")],
                    week: Annotated[str, typer.Option("--week", metavar="ДАТА", help="Любой день недели: ГГГГ-ММ-ДД.")],
                    school: SchoolOpt = None,
                    date: Annotated[str | None, typer.Option(
                        "--date", metavar="ДАТА", help="Дата выдачи распечатки (по умолчанию воскресенье этой недели).",
                        show_default=False)] = None,
                    fmt: FormatOpt = None, db: DbOption = None) -> None:
    day = parse_date(week, "--week")
    monday = day - dt.timedelta(days=day.weekday())
    try:
        con = connect_readonly(db_path(db))
    except WarehouseMissing as e:
        raise fail(str(e)) from None
    try:
        require_class(con, group)
        doc = weekly.build(con, document_school(con, school, group=group), group, monday,
                           date=parse_date(date, "--date"))
    except queries.ScopeError as e:
        raise fail(str(e)) from None
    finally:
        con.close()
    write_document(doc, fmt, out, db, "raspechatka")
