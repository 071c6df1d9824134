"""`zavuch demo`: generate the fictional demo school (or a region of K schools) and load it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.common import DbOption, db_path, fail
from cli.load import run_load
from cli.serve import DEFAULT_PORT, run_deck
from cli.status import print_status
from etl.demo import generate_bundle
from etl.warehouse import connect_readonly
from queries.status import real_sources, warehouse_status
from reports.text import counted

DEFAULT_OUT = Path("data") / "demo-bundle"


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help="Создать вымышленную демонстрационную школу (учебный год с нарушениями ведения ЭЖ, которые "
        "должен найти контроль) и загрузить её в хранилище. Одинаковый --seed даёт одинаковые данные.",
    )(demo)


def demo(
    seed: Annotated[int, typer.Option(help="Зерно генератора: одинаковое зерно даёт одинаковую школу.")] = 2025,
    schools: Annotated[
        int, typer.Option(min=1, max=500, help="Сколько школ создать (муниципалитет/регион для нагрузочных проверок).")
    ] = 1,
    out: Annotated[Path, typer.Option(help="Папка, куда записать пакет данных демо-школы.")] = DEFAULT_OUT,
    db: DbOption = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Только создать и загрузить данные, не открывая панель контроля.")
    ] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Порт панели контроля.")] = DEFAULT_PORT,
) -> None:
    console = Console(stderr=True)
    path = db_path(db)
    _refuse_real_warehouse(path)
    if _bundle_matches(out, seed, schools):
        console.print(f"Пакет демо-данных уже создан: {out} (зерно {seed}, школ: {schools}).")
    else:
        _refuse_foreign_folder(out)
        with console.status(f"Создаю демо-данные (школ: {schools}) в {out} …"):
            bundle = generate_bundle(out, seed=seed, schools=schools)
        total = sum(bundle.rows.values())
        console.print(f"Создан пакет {bundle.path}: {counted(total, 'строка', 'строки', 'строк')}; эталон нарушений: {bundle.ground_truth}")
    run_load(out, path, console)
    con = connect_readonly(path)
    try:
        print_status(warehouse_status(con), str(path), Console())
    finally:
        con.close()
    if not no_serve:
        run_deck(path, port)


def _demo_manifest(out: Path) -> dict:
    """The manifest of an earlier demo bundle in `out`, else {}."""
    manifest = out / "manifest.toml"
    if not manifest.exists() or not (out / "ground_truth.csv").exists():
        return {}
    try:
        m = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return m if m.get("source_system") == "demo" else {}


def _bundle_matches(out: Path, seed: int, schools: int) -> bool:
    """The demo bundle is deterministic: reuse it when it was made with the same seed and size."""
    m = _demo_manifest(out)
    return m.get("seed") == seed and m.get("schools") == schools


def _refuse_foreign_folder(out: Path) -> None:
    """The generator writes marks.csv, people.csv, …: never over a school's own files in a folder that is
    not an earlier demo bundle."""
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out}: это файл, а нужна папка для пакета демо-данных")
    if out.is_dir() and any(out.iterdir()) and not _demo_manifest(out):
        raise fail(f"--out {out}: папка не пуста и в ней не пакет демо-данных; чтобы не затереть чужие файлы, "
                   "укажите пустую или новую папку")


def _refuse_real_warehouse(path: Path) -> None:
    """Never mix the fictional school into a warehouse that holds a real school's data."""
    if not path.exists():
        return
    con = connect_readonly(path)
    try:
        real = real_sources(con)
    finally:
        con.close()
    if real:
        raise fail(
            f"хранилище {path} содержит реальные данные (источники: {', '.join(real)}); "
            "для демо-школы укажите отдельный файл: zavuch demo --db data/demo.duckdb"
        )
