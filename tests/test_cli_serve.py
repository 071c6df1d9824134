"""`zavuch serve` on a port something else holds (a deck already open, another program): refused in
Russian before anything starts. Streamlit printed the deck's URL, then «Port 8501 is not available»."""

from __future__ import annotations

import socket
from pathlib import Path

from cli import serve
from tests.test_cli_usage_errors import _run


def test_a_port_in_use_is_refused_before_the_deck_starts(monkeypatch, capsys, tmp_path: Path) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    with socket.socket() as holder:
        holder.bind(("localhost", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, text = _run(monkeypatch, capsys, "serve", "--port", str(port), "--db", str(tmp_path / "w.duckdb"))
    assert code == 2 and started == []
    assert text == (f"Ошибка: порт {port} занят: панель уже открыта (http://localhost:{port}) или порт занят другой "
                    f"программой; укажите другой: --port {port + 1}")


def test_a_free_port_starts_the_deck(monkeypatch, capsys, tmp_path: Path) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port = probe.getsockname()[1]
    code, text = _run(monkeypatch, capsys, "serve", "--port", str(port), "--db", str(tmp_path / "w.duckdb"))
    assert code == 0 and f"--server.port={port}" in started[0]
    assert f"Панель контроля: http://localhost:{port}" in text



def test_a_restart_right_after_stopping_the_deck_is_not_refused(monkeypatch, capsys, tmp_path: Path) -> None:
    """The stopped deck's closed connections wait a minute on its port (TIME_WAIT); the server, which reuses
    the address, could start, but the check said «порт занят: панель уже открыта»."""
    started: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("localhost", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port)) as browser:
            connection, _ = server.accept()
            connection.close()  # the server closes first, as a stopped deck does: its end waits in TIME_WAIT
            browser.recv(1)
    code, text = _run(monkeypatch, capsys, "serve", "--port", str(port), "--db", str(tmp_path / "w.duckdb"))
    assert code == 0 and f"--server.port={port}" in started[0], text
