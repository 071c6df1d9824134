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

