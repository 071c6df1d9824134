"""`zavuch serve`: start the control deck (Streamlit, headless) on the chosen warehouse."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, deck_warehouse, fail
from etl.warehouse import ENV_VAR

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
DEFAULT_PORT = 8501


def register(app: typer.Typer) -> None:
    app.command("serve", help="Открыть панель контроля (Streamlit) в браузере: http://localhost:ПОРТ")(serve)


def serve(
    db: DbOption = None,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Порт веб-сервера панели.")] = DEFAULT_PORT,
    address: Annotated[str, typer.Option(help="Адрес, на котором слушать (0.0.0.0 — доступ из сети).")] = "localhost",
) -> None:
    run_deck(deck_warehouse(db), port, address)


def deck_command(port: int, address: str = "localhost") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless=true",
            f"--server.port={port}", f"--server.address={address}", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
            # no «Deploy» button nor Streamlit's English developer menu in a school's Russian deck
            "--client.toolbarMode=minimal",
            # no table's own «Download as CSV»: it bypassed the audit log of downloads and wrote a CSV Russian
            # Excel misreads; every table has the audited «Скачать XLSX» / «Скачать CSV» (dashboard/ui.py)
            "--client.disableDataExport=true"]


def check_port(address: str, port: int) -> None:
    """Refuse a port another program (or a deck already open) holds: Streamlit printed its URL line and
    then «Port 8501 is not available» in English, exit 1."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
        # As the deck's server does: connections of a deck just stopped (TIME_WAIT, a minute) do not hold the
        # port, a program listening on it does. Without it a restart was refused as «панель уже открыта».
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except PermissionError:
            raise fail(f"порт {port} доступен только администратору системы; укажите порт от 1024: --port 8502") from None
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise fail(f"адрес {address}:{port} не открыть ({e.strerror}); проверьте --address") from None
            raise fail(f"порт {port} занят: панель уже открыта (http://{address}:{port}) или порт занят другой "
                       f"программой; укажите другой: --port {port + 1}") from None


def run_deck(db: Path, port: int = DEFAULT_PORT, address: str = "localhost") -> None:
    """Run the deck in the foreground until Ctrl+C; the warehouse path goes through $ZAVUCH_DB."""
    check_port(address, port)
    env = {**os.environ, ENV_VAR: str(db.resolve())}
    if not db.exists():
        typer.echo(f"Хранилища {db} ещё нет: загрузите первый пакет на странице «Данные» панели.")
    typer.echo(f"Панель контроля: http://{address}:{port}  (хранилище {db}; остановить — Ctrl+C)")
    try:
        code = subprocess.call(deck_command(port, address), env=env)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)
