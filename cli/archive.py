"""`zavuch archive create|keygen|verify|restore`: the year-end archive (regulation 2.16–2.17, 3.2; issue 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, db_path, fail, record_action
from cli.help_ru import Typer, examples
from cli.metrics import parse_date
from etl.archive import (
    ArchiveError,
    Verification,
    create_archive,
    generate_keypair,
    resolve_key_path,
    restore_archive,
    verify,
)
from etl.norms import NormsError, load_norms
from reports.text import counted

EXIT_BAD_ARCHIVE = 1  # verify found problems / a copy was not written

archive_app = Typer(
    help="Архив учебного года: данные и документы на двух носителях, с электронной подписью; проверка и "
         "восстановление.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(archive_app, name="archive")


KeyOpt = Annotated[Path | None, typer.Option(
    "--key", help="Закрытый ключ подписи. По умолчанию $ZAVUCH_ARCHIVE_KEY или data/archive-signing.key.",
    show_default=False)]
PubkeyOpt = Annotated[Path | None, typer.Option(
    "--pubkey", help="Открытый ключ школы (.pub): подтверждает, что архив подписала школа. Без него подпись "
                     "проверяется ключом из самого архива (только целостность).", show_default=False)]


@archive_app.command("keygen", help="Создать ключ подписи архивов (Ed25519): закрытый (права 0600) и открытый .pub.",
                     epilog=examples("zavuch archive keygen --out /root/zavuch/archive-signing.key"))
def keygen_cmd(out: Annotated[Path | None, typer.Option(
        "--out", help="Файл закрытого ключа; открытый — рядом, с расширением .pub. "
                      "По умолчанию $ZAVUCH_ARCHIVE_KEY или data/archive-signing.key.", show_default=False)] = None
               ) -> None:
    try:
        k = generate_keypair(resolve_key_path(out))
    except ArchiveError as e:
        raise fail(str(e)) from None
    typer.echo(f"Закрытый ключ: {k.private} (права 0600; храните отдельно от архивов, содержимое не выводится)")
    typer.echo(f"Открытый ключ: {k.public}")
    typer.echo(f"Отпечаток (SHA-256): {k.fingerprint}")


@archive_app.command("create", help="Создать архив учебного года и записать его на каждый носитель (--to), "
                                    "проверив каждую копию.",
                     epilog=examples('zavuch archive create --year 2025/2026 --to /media/usb1 --to /media/usb2 '
                                     '--key /root/zavuch/archive-signing.key --by "Петрова А. И., заместитель директора"'))
def create_cmd(
    year: Annotated[str, typer.Option("--year", help="Учебный год: ИД или название («2025/2026»).")],
    to: Annotated[list[Path], typer.Option("--to", help="Папка на носителе; не меньше двух разных носителей.")],
    key: KeyOpt = None,
    school: Annotated[str | None, typer.Option("--school", help="ИД школы, если в хранилище их несколько.",
                                               show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="Кто создаёт архив: «Фамилия И. О., должность». "
                                           "По умолчанию имя пользователя системы.", show_default=False)] = None,
    retention: Annotated[str | None, typer.Option("--retention", help="Отметка о сроке и порядке хранения "
                                                  "(по номенклатуре дел школы).", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="ДАТА", help="Дата справок и ведомостей (по умолчанию сегодня).",
                                             show_default=False)] = None,
    allow_single: Annotated[bool, typer.Option("--allow-single", help="Разрешить одну копию (вторую сделать "
                                               "позже).")] = False,
    norms_file: Annotated[Path | None, typer.Option("--norms", help="Файл норм школы (TOML).",
                                                    show_default=False)] = None,
    db: DbOption = None,
) -> None:
    try:
        report = create_archive(db_path(db), to, resolve_key_path(key), year, school_id=school, created_by=by,
                                retention=retention, document_date=parse_date(date, "--date"),
                                allow_single=allow_single, norms=load_norms(norms_file),
                                on_step=lambda s: typer.echo(f"… {s}", err=True))
    except (ArchiveError, NormsError) as e:
        raise fail(str(e)) from None
    record_action(db, "archive", year=year, name=report.name, copies=[str(c.folder.resolve()) for c in report.copies],
                  failures=len(report.failures))
    for w in report.warnings:
        typer.secho(f"Внимание: {w}", fg=typer.colors.YELLOW, err=True)
    typer.echo(f"Архив {report.name}: {counted(report.files, 'файл', 'файла', 'файлов')}, {report.bytes / 2**20:.1f} МБ; "
               f"подписан ключом {report.key_fingerprint}")
    for c in report.copies:
        typer.echo(f"Записан и проверен: {c.folder}")
    if report.failures:
        for f in report.failures:
            typer.secho(f"Ошибка: {f}", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_BAD_ARCHIVE)


@archive_app.command("verify", help="Проверить копию архива: подпись, каждый файл, отсутствующие и лишние файлы. "
                                    "Код выхода 1 при любом расхождении.",
                     epilog=examples("zavuch archive verify /media/usb2/zavuch-archive_s001_2025-2026_20260620T103000 "
                                     "--pubkey /root/zavuch/archive-signing.key.pub"))
def verify_cmd(folder: Annotated[Path, typer.Argument(metavar="ПАПКА", help="Папка архива.")], pubkey: PubkeyOpt = None) -> None:
    try:
        v = verify(folder, pubkey)
    except ArchiveError as e:
        raise fail(str(e)) from None
    _print_verification(v)
    if not v.ok:
        raise typer.Exit(EXIT_BAD_ARCHIVE)


def _print_verification(v: Verification) -> None:
    for p in v.problems:
        typer.secho(f"НАРУШЕНИЕ: {p.message}", fg=typer.colors.RED)
    if v.ok:
        typer.secho(f"Архив {v.folder} цел: подпись верна, все файлы совпадают с описью ({v.files_checked}).",
                    fg=typer.colors.GREEN)
    else:
        typer.secho(f"Архив {v.folder} НЕ прошёл проверку: "
                    f"{counted(len(v.problems), 'нарушение', 'нарушения', 'нарушений')}.", fg=typer.colors.RED)
    # only a signature that verified was checked with the archive's own key: a missing or wrong one was not
    if v.key_fingerprint and v.key_from_archive and not any(p.kind in ("signature", "key") for p in v.problems):
        typer.echo(f"Подпись проверена ключом из самого архива (отпечаток {v.key_fingerprint}); чтобы подтвердить, "
                   "что архив подписала школа, сверьте отпечаток или укажите --pubkey.")


@archive_app.command("restore", help="Восстановить хранилище из проверенного архива в новый файл.",
                     epilog=examples("zavuch archive restore /media/usb2/zavuch-archive_s001_2025-2026_20260620T103000 --db /srv/zavuch/2025-2026.duckdb "
                                     "--pubkey /root/zavuch/archive-signing.key.pub"))
def restore_cmd(folder: Annotated[Path, typer.Argument(metavar="ПАПКА", help="Папка архива.")],
                db: Annotated[Path, typer.Option("--db", help="Новый файл хранилища (не должен существовать).")],
                pubkey: PubkeyOpt = None) -> None:
    try:
        r = restore_archive(folder, db, pubkey)
    except ArchiveError as e:
        raise fail(str(e)) from None
    rows = sum(r.tables.values())
    typer.echo(f"Восстановлено хранилище {r.db} из архива {r.archive}: {counted(len(r.tables), 'таблица', 'таблицы', 'таблиц')}, "
               f"{counted(rows, 'строка', 'строки', 'строк')}.")
