"""`zavuch pull SYSTEM`: a system that cannot be pulled is named as such before the config is read
(«mesh» used to be answered «укажите, откуда брать токен», sending the admin after a token)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def test_system_without_api_pull_named_first(tmp_path: Path) -> None:
    config = tmp_path / "pull.toml"
    config.write_text('system = "mesh"\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["pull", "mesh", "--config", str(config), "--db", str(tmp_path / "w.duckdb")])
    assert r.exit_code == 2
    assert ("выгрузка по API для системы «mesh» не поддерживается; доступны: dnevnik_ru, kundelik_kz, eljur"
            in " ".join(r.output.split()))
    assert not (tmp_path / "w.duckdb").exists()
