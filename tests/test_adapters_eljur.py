"""ЭлЖур: `zavuch pull eljur` against a local apiv3 on 127.0.0.1 (tests/pull_server.py FakeEljur), the
mapping of getrules/getperiods/getdiary/getmarks, and entry times bounded by pulls (no times in ЭлЖур)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
from pathlib import Path

import pytest

from etl.adapters import AdapterError, ImportOptions, adapter
from etl.adapters.pull import JOURNAL, PullError, run_pull
from etl.adapters.recording import Response, write_recording
from etl.warehouse import connect_readonly
from queries import Scope, run
from tests.adapter_fixtures import SAMPLES, query
from tests.pull_server import ELJUR_STUDENTS, SCHOOL_DAYS, FakeEljur

# getrules + getperiods + 2 students × 3 weekly windows × (getdiary, getmarks)
REQUESTS = 2 + 2 * 3 * 2


def _setup(tmp: Path, monkeypatch: pytest.MonkeyPatch, token: str = "token-1") -> tuple[Path, Path]:
    monkeypatch.setenv("ZAVUCH_ELJUR_DEVKEY", "dev-key-1")
    token_file = tmp / "secret" / "eljur.token"
    token_file.parent.mkdir()
    token_file.write_text(token + "\n", encoding="utf-8")
    cfg = tmp / "pull.toml"
    cfg.write_text("\n".join([
        'system = "eljur"', 'base_url = "{url}"', 'school = "school5"', 'vendor = "school5"',
        'devkey_env = "ZAVUCH_ELJUR_DEVKEY"', "date_from = 2025-09-01", "date_to = 2025-09-19", "window_days = 7",
        'token_file = "secret/eljur.token"', 'state_dir = "state"', 'db = "wh.duckdb"', "requests_per_second = 200",
        "attempts = 3", "timeout_seconds = 0.5", "backoff_seconds = 0.01"]) + "\n", encoding="utf-8")
    return cfg, token_file


def _point(cfg: Path, server: FakeEljur) -> Path:
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("{url}", server.url), encoding="utf-8")
    return cfg


def _no_secret_anywhere(tmp: Path, *secrets: str) -> None:
    for p in (tmp / "state").rglob("*"):
        if p.is_file():
            data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            assert not any(s.encode() in data for s in secrets), p


def test_shapes_sample_has_the_absence_inside_marks() -> None:
    text = (SAMPLES / "eljur" / "shapes.jsonc").read_text(encoding="utf-8")
    assert "absence entry lives in the marks list: н / Н / оп / ОП" in text


def test_pull_maps_journal_and_survives_500_timeout_and_token_refresh(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch)
    with FakeEljur(token_file) as server:
        server.faults = {r"getmarks$": ["500", "slow"]}
        server.expire_after = 6  # token-1 dies mid-run; a refresh job writes token-2
        result = run_pull(_point(cfg, server), sleep=lambda s: None)
    assert result.status == "loaded"
    assert result.requests == REQUESTS + 3  # one retry each after the 500, the timeout and the 401
    db = tmp_path / "wh.duckdb"
    # 15 marks (the «н» is not one), every one on its diary lesson, none with a source entry time
    assert query(db, "SELECT count(*), count(DISTINCT lesson_id), count(entered_at), min(lesson_date), max(lesson_date) "
                     "FROM marks") == [(15, 15, 0, SCHOOL_DAYS[0], SCHOOL_DAYS[-1])]
    assert query(db, "SELECT raw_code, status, lesson_date FROM attendance") == [("Н", "absent_unexcused", SCHOOL_DAYS[0])]
    assert query(db, "SELECT count(*), min(topic) FROM lessons") == [(15, "Тема 1")]
    assert query(db, "SELECT count(*) FROM homework") == [(15,)]
    assert query(db, "SELECT name, kind, start_date, end_date FROM periods") == [
        ("1 четверть", "quarter", dt.date(2025, 9, 1), dt.date(2025, 10, 24))]
    assert query(db, "SELECT count(*) FROM people WHERE role = 'teacher'") == [(1,)]
    # every request carried the key and the vendor; the recording and journal carry neither key nor token
    assert all(q.get("devkey") == ["dev-key-1"] for q in server.queries)
    _no_secret_anywhere(tmp_path, "token-1", "token-2", "dev-key-1")


def test_second_pull_bounds_entry_time_by_the_pull_interval(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch)
    with FakeEljur(token_file) as server:
        first = run_pull(_point(cfg, server), sleep=lambda s: None)
        server.data["marks"][ELJUR_STUDENTS[0]].append(
            {"value": "3", "count": True, "weight": 2, "date": SCHOOL_DAYS[2].isoformat(), "lesson_id": "L3",
             "mtype": {"id": 2, "type": "Контрольная работа", "short": "КР"}})
        time.sleep(1.1)  # batches are stamped to the second
        second = run_pull(cfg, sleep=lambda s: None)
    assert second.status == "loaded" and second.previous_pull_at == first.fetched_at
    db = tmp_path / "wh.duckdb"
    (mark_id, seen), = query(db, "SELECT source_id, first_seen_at FROM marks WHERE value_raw = '3'")
    assert seen == second.fetched_at
    con = connect_readonly(db)
    try:
        lags = run(con, "mark_lag", Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 30),
                                          as_of=dt.date(2025, 12, 31)))
    finally:
        con.close()
    row = lags.filter(lags["mark_id"] == mark_id).row(0, named=True)
    finished = query(db, "SELECT finished_at FROM import_batches WHERE batch_id = 1")[0][0]
    assert row["lag_basis"] == "first_seen"
    assert (row["lag_days_min"], row["lag_days_max"]) == (
        (finished.date() - SCHOOL_DAYS[2]).days, (second.fetched_at.date() - SCHOOL_DAYS[2]).days)
    entries = [json.loads(x) for x in (tmp_path / "state" / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert [e["status"] for e in entries] == ["loaded", "loaded"]


def test_expired_token_and_missing_devkey_fail_plainly(tmp_path: Path, monkeypatch) -> None:
    cfg, token_file = _setup(tmp_path, monkeypatch, token="token-0-expired")
    with FakeEljur(token_file) as server, pytest.raises(PullError, match="токен доступа недействителен или истёк"):
        run_pull(_point(cfg, server), sleep=lambda s: None)
    assert not (tmp_path / "wh.duckdb").exists()
    monkeypatch.delenv("ZAVUCH_ELJUR_DEVKEY")
    with pytest.raises(PullError, match="devkey_env"):
        run_pull(cfg, sleep=lambda s: None)
    _no_secret_anywhere(tmp_path, "token-0-expired")


def test_recorded_error_state_is_refused_on_import(tmp_path: Path) -> None:
    write_recording([Response("getrules", {"response": {"state": 403, "error": "Доступ запрещён", "result": None}})],
                    tmp_path / "responses.jsonl")
    with pytest.raises(AdapterError, match=r"строка 1 \(getrules\): ЭлЖур вернул ошибку 403: Доступ запрещён"):
        adapter("eljur").read(tmp_path / "responses.jsonl", ImportOptions())
