"""`zavuch user add|list|disable|enable|reset-password|grant` and `zavuch incident add`: accounts of the
deck and the compromise register. Accounts live in zavuch-access.sqlite next to the warehouse."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from access import accounts, audit
from access.incidents import record_incident
from access.store import open_store, resolve_store_path
from cli.common import DbOption, db_path, fail, refuse_missing_folder
from cli.help_ru import Typer, examples
from etl.bundle import BundleRefused
from etl.warehouse import WarehouseMissing, connect_readonly
from queries import known
from queries.access import ROLES

user_app = Typer(help="Учётные записи панели Завуча: создать, список, отключить, сменить пароль, права.",
                       no_args_is_help=True)
incident_app = Typer(help="Реестр компрометации учётных записей ЭЖ (п. 4.3–4.4 регламента ведения ЭЖ).",
                           no_args_is_help=True)
CLI_ACTOR = "cli"  # how the audit log names changes made from the command line

LoginArg = Annotated[str, typer.Argument(metavar="ЛОГИН", help="Логин учётной записи.", show_default=False)]
RoleOpt = Annotated[str, typer.Option("--role", help=f"Роль: {', '.join(f'{k} ({v})' for k, v in ROLES.items())}.")]
SchoolOpt = Annotated[list[str] | None, typer.Option(
    "--school", help="Код школы (можно несколько). Без него — все школы хранилища.", show_default=False)]
ClassOpt = Annotated[list[str] | None, typer.Option(
    "--class", help="Класс классного руководителя (код группы; можно несколько).", show_default=False)]
PairOpt = Annotated[list[str] | None, typer.Option(
    "--pair", help="Пара КЛАСС:ПРЕДМЕТ учителя-предметника (коды; класс или подгруппа; можно несколько).",
    show_default=False)]
PersonOpt = Annotated[str | None, typer.Option(
    "--person", help="Код человека в хранилище (учитель), если учётная запись — его.", show_default=False)]
StdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="Прочитать пароль из первой строки стандартного ввода (для скриптов).")]


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(incident_app, name="incident")


def _store(db: Path | None) -> Path:
    """The accounts file next to the warehouse; refused when its folder does not exist (a misspelt --db)."""
    path = resolve_store_path(db_path(db))
    refuse_missing_folder(path, "файл учётных записей")
    return path


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")  # a password file saved on Windows ends its line in \r\n
    while True:  # asked twice here, not by click's confirmation_prompt, whose mismatch message is English
        first = typer.prompt("Пароль", hide_input=True)
        if typer.prompt("Пароль ещё раз", hide_input=True) == first:
            return first
        typer.echo("Пароли не совпадают; введите пароль ещё раз.", err=True)


def _pairs(items: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for item in items or []:
        group, sep, subject = item.partition(":")
        if not sep or not group or not subject:
            raise fail(f"--pair «{item}»: пара записывается как КЛАСС:ПРЕДМЕТ")
        out.append((group, subject))
    return out


def _check_codes(db: Path | None, schools: list[str] | None, classes: list[str] | None,
                 pairs: list[tuple[str, str]], person: str | None) -> None:
    """Refuse a code the warehouse does not hold: a misspelt class would give a teacher an empty deck.
    Before the first load (the first administrator is created then) there is nothing to check against."""
    try:
        con = connect_readonly(db_path(db))
    except WarehouseMissing as e:
        if db_path(db).exists():  # a folder or another file, not a warehouse yet to be loaded
            raise fail(str(e)) from None
        return
    wanted = [("school", s, "школа", "--school") for s in schools or ()]
    wanted += [("group", c, "класс (группа)", "--class") for c in classes or ()]
    for group, subject in pairs:
        wanted += [("group", group, "класс (группа)", "--pair"), ("subject", subject, "предмет", "--pair")]
    if person is not None:
        wanted.append(("person", person, "человек", "--person"))
    try:
        for kind, code, what, option in wanted:
            if not known(con, kind, code):
                raise fail(f"{option}: {what} «{code}» не найден(а) в хранилище {db_path(db)}")
    finally:
        con.close()


@user_app.command("add", help="Создать учётную запись; пароль запрашивается (пароля по умолчанию нет).",
                  epilog=examples('zavuch user add petrova --name "Петрова Анна Ивановна" --role deputy',
                                  'zavuch user add belova --name "Белова Екатерина Александровна" '
                                  '--role class_teacher --school s001 --class s001-g011 --person s001-t041'))
def add(login: LoginArg, name: Annotated[str, typer.Option("--name", help="ФИО.")], role: RoleOpt,
        school: SchoolOpt = None, class_: ClassOpt = None, pair: PairOpt = None, person: PersonOpt = None,
        oidc: Annotated[str | None, typer.Option("--oidc", help="Email или sub единого входа (OIDC) этой учётной "
                                                   "записи; тогда пароль не обязателен.", show_default=False)] = None,
        password_stdin: StdinOpt = False, db: DbOption = None) -> None:
    pairs = _pairs(pair)
    store = _store(db)
    _check_codes(db, school, class_, pairs, person)
    password = None if oidc and not password_stdin else _password(password_stdin)
    try:
        with open_store(store) as con:
            accounts.add(con, login, name, role, password, by=CLI_ACTOR, person_id=person, school_ids=school,
                         class_ids=class_, pairs=pairs, oidc_subject=oidc)
    except accounts.AccountError as e:
        raise fail(str(e)) from None
    typer.echo(f"Учётная запись «{login}» создана ({ROLES[role]}).")


@user_app.command("list", help="Список учётных записей с ролями и правами.")
def list_(db: DbOption = None) -> None:
    store = _store(db)
    with open_store(store) as con:
        rows = accounts.all_accounts(con)
    t = Table(title=f"Учётные записи ({store})")
    for col in ("Логин", "ФИО", "Роль", "Школы", "Классы / пары", "Состояние"):
        t.add_column(col)
    for a in rows:
        scope = ", ".join(a.class_ids) or ", ".join(f"{g}:{s}" for g, s in a.pairs)
        t.add_row(a.login, a.full_name, ROLES.get(a.role, a.role), ", ".join(a.school_ids or ()) or "все", scope,
                  "отключена" if a.disabled else "активна")
    Console().print(t)


def _set_disabled(login: LoginArg, disabled: bool, db: Path | None) -> None:
    try:
        with open_store(_store(db)) as con:
            accounts.set_disabled(con, login, disabled, by=CLI_ACTOR)
    except accounts.AccountError as e:
        raise fail(str(e)) from None


@user_app.command("disable", help="Отключить учётную запись (вход невозможен, записи в журнале остаются).")
def disable(login: LoginArg, db: DbOption = None) -> None:
    _set_disabled(login, True, db)
    typer.echo(f"Учётная запись «{login}» отключена.")


@user_app.command("enable", help="Снова включить отключённую учётную запись.")
def enable(login: LoginArg, db: DbOption = None) -> None:
    _set_disabled(login, False, db)
    typer.echo(f"Учётная запись «{login}» включена.")


@user_app.command("reset-password", help="Задать новый пароль (снимает блокировку после неудачных входов).")
def reset_password(login: LoginArg, password_stdin: StdinOpt = False, db: DbOption = None) -> None:
    try:
        with open_store(_store(db)) as con:
            if accounts.get(con, login) is None:
                raise accounts.AccountError(f"учётной записи «{login}» нет")
        password = _password(password_stdin)
        with open_store(_store(db)) as con:
            accounts.reset_password(con, login, password, by=CLI_ACTOR)
    except accounts.AccountError as e:
        raise fail(str(e)) from None
    typer.echo(f"Пароль учётной записи «{login}» изменён.")


@user_app.command("grant", help="Сменить роль и права (школы, классы, пары класс:предмет) учётной записи.")
def grant(login: LoginArg, role: RoleOpt, school: SchoolOpt = None, class_: ClassOpt = None, pair: PairOpt = None,
          person: PersonOpt = None, db: DbOption = None) -> None:
    store = _store(db)
    _check_codes(db, school, class_, _pairs(pair), person)
    try:
        with open_store(store) as con:
            accounts.grant(con, login, role, by=CLI_ACTOR, school_ids=school, class_ids=class_, pairs=_pairs(pair),
                           person_id=person)
    except accounts.AccountError as e:
        raise fail(str(e)) from None
    typer.echo(f"Права учётной записи «{login}» изменены: {ROLES[role]}.")


def _moment(text: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise fail(f"--at «{text}»: укажите дату и время, например 2026-05-12 07:40 или 12.05.2026 07:40")


@incident_app.command("add", help="Записать, что учётные данные человека скомпрометированы с момента --at: все "
                                  "его записи в ЭЖ с этого момента считаются недействительными (п. 4.4).")
def incident_add(
    person: Annotated[str, typer.Option("--person", help="Код человека (учётной записи ЭЖ) в хранилище.")],
    at: Annotated[str, typer.Option("--at", metavar="ВРЕМЯ", help="Когда получено сообщение о компрометации (местное время).")],
    description: Annotated[str | None, typer.Option("--description", help="Что произошло.")] = None,
    db: DbOption = None,
) -> None:
    moment = _moment(at)
    if moment > dt.datetime.now():  # a typo of the year (2062) would make nothing invalid now, silently
        raise fail(f"--at {moment:%d.%m.%Y %H:%M} — позже текущего момента: сообщение о компрометации (п. 4.3) "
                   "уже получено, укажите, когда именно; ничего не записано")
    path = db_path(db)
    try:
        report = record_incident(path, person, moment, description)
    except (BundleRefused, WarehouseMissing) as e:
        raise fail(str(e)) from None
    with open_store(_store(db)) as con:
        audit.record(con, CLI_ACTOR, "incident_add", person_id=person, reported_at=moment.isoformat(),
                     batch_id=report.batch_id)
        audit.record(con, CLI_ACTOR, "load", bundle="incident", batch_id=report.batch_id, status=report.status)
    typer.echo(f"Компрометация записана (партия № {report.batch_id}): записи {person} с {moment:%d.%m.%Y %H:%M} "
               "отмечены как недействительные во всех показателях (entry_after_compromise).")
