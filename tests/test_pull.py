"""`zavuch pull`: a live-API pull against a local server on 127.0.0.1 (tests/pull_server.py)."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from etl.adapters.pull import JOURNAL, LOCK, PullBusy, PullError, run_pull
from etl.warehouse import connect_readonly
from queries import Scope, run
from tests.adapter_fixtures import query
from tests.pull_server import SCHOOL, SCHOOL_DAYS, FakeDnevnik

# 4 dictionary calls + 3 per group + 3 windows × (lessons, marks, log) + final-marks
BASE_REQUESTS = 4 + 3 + 3 * 3 + 1


def _setup(tmp: Path, token: str = "token-1", **extra: object) -> tuple[Path, Path]:
    token_file = tmp / "secret" / "dnevnik.token"
    token_file.parent.mkdir()
    token_file.write_text(token + "\n", encoding="utf-8")
    cfg = tmp / "pull.toml"
    lines = ['system = "dnevnik_ru"', 'base_url = "{url}"', f'school = "{SCHOOL}"', 'date_from = 2025-09-01',
             'date_to = 2025-09-19', 'window_days = 7', 'token_file = "secret/dnevnik.token"', 'state_dir = "state"',
             'db = "wh.duckdb"', "requests_per_second = 200", "attempts = 3", "timeout_seconds = 0.5",
             "backoff_seconds = 0.01"] + [f"{k} = {v}" for k, v in extra.items()]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cfg, token_file


def _point(cfg: Path, server: FakeDnevnik) -> Path:
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("{url}", server.url), encoding="utf-8")
    return cfg


def _journal(tmp: Path) -> list[dict]:
    return [json.loads(x) for x in (tmp / "state" / JOURNAL).read_text(encoding="utf-8").splitlines()]


def _no_secret_anywhere(tmp: Path, *secrets: str) -> None:
    for p in (tmp / "state").rglob("*"):
        if p.is_file() and p.suffix != ".gz":
            text = p.read_text(encoding="utf-8", errors="replace")
            assert not any(s in text for s in secrets), p


def test_pull_pages_survives_500_timeout_and_token_refresh(tmp_path: Path) -> None:
    cfg, token_file = _setup(tmp_path)
    with FakeDnevnik(token_file) as server:
        server.faults = {r"/lessons/2025-09-08": ["500"], r"/marks/2025-09-01": ["slow"]}
        server.expire_after = 10  # token-1 dies mid-run; another job writes token-2 into the file
        result = run_pull(_point(cfg, server), sleep=lambda s: None)
    assert result.status == "loaded"
    assert result.requests == BASE_REQUESTS + 3  # one retry each after the 500, the timeout and the 401
    assert server.hits["/v2.0/edu-groups/2000000000000000001/lessons/2025-09-08T00:00:00/2025-09-14T23:59:59"] == 2
    db = tmp_path / "wh.duckdb"
    assert query(db, "SELECT count(*), count(DISTINCT lesson_id), min(lesson_date), max(lesson_date) FROM marks") == [
        (15, 15, SCHOOL_DAYS[0], SCHOOL_DAYS[-1])]
    assert query(db, "SELECT count(*) FROM lessons WHERE attendance_taken_at IS NOT NULL") == [(15,)]
    (entry,) = _journal(tmp_path)
    assert entry["status"] == "loaded" and entry["requests"] == BASE_REQUESTS + 3 and entry["previous_pull_at"] is None
    _no_secret_anywhere(tmp_path, "token-1", "token-2")


def test_persistent_500_loads_nothing_and_is_journaled(tmp_path: Path) -> None:
    cfg, token_file = _setup(tmp_path)
    with FakeDnevnik(token_file) as server:
        server.faults = {r"/marks/2025-09-15": ["500"] * 10}
        with pytest.raises(PullError, match=r"HTTP 500; попыток: 3"):
            run_pull(_point(cfg, server), sleep=lambda s: None)
    assert not (tmp_path / "wh.duckdb").exists()
    (entry,) = _journal(tmp_path)
    assert entry["status"] == "failed" and "HTTP 500" in entry["message"]


def test_expired_token_fails_plainly_without_showing_it(tmp_path: Path) -> None:
    cfg, token_file = _setup(tmp_path, token="token-0-expired")
    with FakeDnevnik(token_file) as server, pytest.raises(PullError) as err:
        run_pull(_point(cfg, server), sleep=lambda s: None)
    assert "токен доступа недействителен или истёк" in str(err.value)
    assert "token-0-expired" not in str(err.value)
    assert not (tmp_path / "wh.duckdb").exists()
    _no_secret_anywhere(tmp_path, "token-0-expired")


def test_overlapping_run_is_skipped(tmp_path: Path) -> None:
    cfg, token_file = _setup(tmp_path)
    (tmp_path / "state").mkdir()
    with open(tmp_path / "state" / LOCK, "w") as held, FakeDnevnik(token_file) as server:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(PullBusy, match="ещё идёт"):
            run_pull(_point(cfg, server), sleep=lambda s: None)
        assert server.total == 0


def test_token_in_config_is_refused(tmp_path: Path) -> None:
    cfg, _ = _setup(tmp_path, token="x", token_extra='"abc"')
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("token_extra", "token"), encoding="utf-8")
    with pytest.raises(PullError, match="токен не хранится в файле настроек"):
        run_pull(cfg)


def test_unknown_time_zone_in_config_is_refused(tmp_path: Path) -> None:
    """A misspelt zone was taken as is: the school written with it, an offset time unconvertible."""
    cfg, _ = _setup(tmp_path)
    cfg.write_text(cfg.read_text(encoding="utf-8") + 'timezone = "Europe/Moskow"\n', encoding="utf-8")
    with pytest.raises(PullError, match="timezone: часовой пояс «Europe/Moskow» неизвестен"):
        run_pull(cfg)
    assert not (tmp_path / "state" / "pulls.jsonl").exists()


def test_second_pull_bounds_entry_time_of_marks_without_one(tmp_path: Path) -> None:
    """A mark the API gives without a set time is known to exist only from the pull that first saw it:
    its lag is bounded by the previous batch and this pull (queries mark_lag, lag_basis 'first_seen')."""
    cfg, token_file = _setup(tmp_path)
    with FakeDnevnik(token_file) as server:
        first = run_pull(_point(cfg, server), sleep=lambda s: None)
        server.data["marks"].append({"id_str": "999", "value": "4", "person_str": "4000000000000000001",
                                     "lesson_str": "601"})  # no "date": the API did not say when
        time.sleep(1.1)  # batches are stamped to the second
        second = run_pull(cfg, sleep=lambda s: None)
    assert second.status == "loaded" and second.previous_pull_at == first.fetched_at
    entries = _journal(tmp_path)
    assert [e["status"] for e in entries] == ["loaded", "loaded"]
    assert entries[1]["previous_pull_at"] == first.fetched_at.isoformat()
    db = tmp_path / "wh.duckdb"
    assert query(db, "SELECT first_seen_at, entered_at FROM marks WHERE source_id = 'dnevnik_ru:mark:999'") == [
        (second.fetched_at, None)]
    con = connect_readonly(db)
    try:
        lags = run(con, "mark_lag", Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 30),
                                          as_of=dt.date(2025, 12, 31)))
    finally:
        con.close()
    row = lags.filter(lags["mark_id"] == "dnevnik_ru:mark:999").row(0, named=True)
    lesson_day = SCHOOL_DAYS[0]
    assert row["lag_basis"] == "first_seen"
    assert row["lag_days_max"] == (second.fetched_at.date() - lesson_day).days
    # lower bound: the first pull's time (its data as fetched), before the mark was first seen
    first_at = query(db, "SELECT started_at FROM import_batches WHERE batch_id = 1")[0][0]
    assert first_at == first.fetched_at
    assert row["lag_days_min"] == (first_at.date() - lesson_day).days


def test_cli_pull_audits_next_to_the_configured_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cron pull names its warehouse in the config (`db`), not with --db: its audit entry went to
    data/zavuch-access.sqlite under whatever folder cron started in, creating that folder."""
    cwd = tmp_path / "cron-home"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("ZAVUCH_DB", raising=False)
    monkeypatch.delenv("ZAVUCH_ACCESS_DB", raising=False)
    cfg, token_file = _setup(tmp_path)
    with FakeDnevnik(token_file) as server:
        r = CliRunner().invoke(app, ["pull", "dnevnik_ru", "--config", str(_point(cfg, server))])
    assert r.exit_code == 0, r.output
    assert list(cwd.iterdir()) == []
    (batch,) = query(tmp_path / "wh.duckdb", "SELECT batch_id FROM import_batches")
    with sqlite3.connect(tmp_path / "zavuch-access.sqlite") as con:
        rows = con.execute("SELECT action, detail FROM audit_log").fetchall()
    assert [(a, json.loads(d)["batch_id"], json.loads(d)["system"]) for a, d in rows] == [("load", batch[0], "dnevnik_ru")]
