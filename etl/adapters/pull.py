"""Scheduled pulls from a live API: safe to run from cron every N minutes.

    run_pull(config_path, db=None) -> PullResult

* One run at a time: an exclusive lock on <state_dir>/pull.lock; a second run exits at once (PullBusy).
* A failed pull changes nothing: every response is fetched before anything is loaded, and the load is
  the loader's one atomic batch; a failure is only written to the pull journal.
* The API is not hammered: at most `requests_per_second`, retries with exponential back-off and jitter
  on timeouts, connection errors, 429 and 5xx (tenacity), `Retry-After` honoured.
* The token comes from a file (`token_file`) or an environment variable (`token_env`), never from the
  command line, the config file or any message; an expired token (401) is re-read once, so a token
  refreshed by another job is picked up mid-run.
* The pull interval is recorded: the bundle manifest carries `pulled_at` and `previous_pull_at`, the
  batch's first_seen_at is `pulled_at`, and <state_dir>/pulls.jsonl keeps one line per run. For marks
  without a source entry time the metrics bound the entry time by the previous batch and first_seen_at
  (queries/sql/_setup.sql mark_lags); docs/adapters.md explains the bound.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from etl.adapters.base import AdapterError, ImportOptions, import_extract, school_zone
from etl.adapters.recording import Response
from etl.loader import BundleRefused, LoadReport
from etl.school_files import read_toml
from etl.warehouse import resolve_db_path

JOURNAL = "pulls.jsonl"
LOCK = "pull.lock"
RUNS = "runs"
KEEP_RUNS = 30  # recorded responses of the last runs kept under <state_dir>/runs (raw data, re-mappable)


class PullError(Exception):
    """The pull failed (network, API, token, config); nothing was loaded."""


class PullBusy(PullError):
    """Another pull of the same state folder is still running."""


@dataclass(frozen=True)
class PullConfig:
    system: str
    base_url: str
    school: str
    date_from: date
    date_to: date | None
    state_dir: Path
    db: Path | None
    token_file: Path | None
    token_env: str | None
    window_days: int = 7
    requests_per_second: float = 4.0
    attempts: int = 5
    timeout_seconds: float = 30.0
    backoff_seconds: float = 1.0
    timezone: str | None = None  # None: the source's own zone (Дневник.ру School.timeZone), else Europe/Moscow
    vendor: str | None = None  # ЭлЖур: the school's subdomain (`vendor` query parameter)
    devkey_env: str | None = None  # ЭлЖур: environment variable holding the developer key


def load_config(path: Path) -> PullConfig:
    """Read the pull's TOML config; plain-language PullError on anything missing or wrong."""
    data = read_toml(path, str(path), "файл настроек", PullError)
    if any(k in data for k in ("token", "access_token", "password")):
        raise PullError(f"{path}: токен не хранится в файле настроек: укажите token_file или token_env")
    if not data.get("token_file") and not data.get("token_env"):
        raise PullError(f"{path}: укажите, откуда брать токен: token_file = \"…\" или token_env = \"…\"")
    for key in ("system", "base_url", "school", "date_from", "state_dir"):
        if key not in data:
            raise PullError(f"{path}: нет обязательного параметра {key}")
    known = set(PullConfig.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise PullError(f"{path}: неизвестные параметры: {', '.join(sorted(unknown))}")

    def rel(v: Any) -> Path | None:
        return None if v in (None, "") else (path.parent / str(v)).resolve()

    try:
        return PullConfig(
            system=str(data["system"]), base_url=str(data["base_url"]).rstrip("/"), school=str(data["school"]),
            date_from=_date(data["date_from"]), date_to=_date(data["date_to"]) if data.get("date_to") else None,
            state_dir=rel(data["state_dir"]), db=rel(data.get("db")), token_file=rel(data.get("token_file")),
            token_env=data.get("token_env"), window_days=int(data.get("window_days", 7)),
            requests_per_second=float(data.get("requests_per_second", 4.0)),
            attempts=int(data.get("attempts", 5)), timeout_seconds=float(data.get("timeout_seconds", 30.0)),
            backoff_seconds=float(data.get("backoff_seconds", 1.0)),
            timezone=school_zone(str(data["timezone"])).key if "timezone" in data else None,
            vendor=data.get("vendor"), devkey_env=data.get("devkey_env"),
        )
    except (TypeError, ValueError) as e:
        raise PullError(f"{path}: неверное значение параметра ({e})") from None
    except AdapterError as e:  # an unknown time zone (school_zone)
        raise PullError(f"{path}: timezone: {e}") from None


def _date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def read_token(cfg: PullConfig) -> str:
    if cfg.token_file:
        try:
            token = cfg.token_file.read_text(encoding="utf-8").strip()
        except OSError:
            raise PullError(f"файл токена {cfg.token_file} не читается") from None
        where = f"файл токена {cfg.token_file}"
    else:
        token = os.environ.get(cfg.token_env or "", "").strip()
        where = f"переменная окружения {cfg.token_env}"
    if not token:
        raise PullError(f"{where}: токен пуст")
    return token


# ---------------------------------------------------------------- HTTP

class _Transient(Exception):
    def __init__(self, what: str, retry_after: float | None = None) -> None:
        super().__init__(what)
        self.retry_after = retry_after


class ApiClient:
    """GET/POST against the API root with a rate limit, retries and token re-reading.

    `token_header` names the header that carries the token, or `query:NAME` for an API that wants it
    as a query parameter (ЭлЖур `auth_token`); either way it never reaches a recording or a message."""

    def __init__(self, cfg: PullConfig, token_header: str, token: Callable[[], str],
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cfg = cfg
        self.header = token_header
        self.token_source = token
        self.token = token()
        self.sleep = sleep
        self.min_gap = 1.0 / cfg.requests_per_second if cfg.requests_per_second > 0 else 0.0
        self.last = 0.0
        self.requests = 0
        self.date: str | None = None  # the HTTP Date header of the latest response, recorded with it
        self.http = httpx.Client(base_url=cfg.base_url + "/", timeout=cfg.timeout_seconds)

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            base = wait_exponential_jitter(multiplier=self.cfg.backoff_seconds, max=60)(state)
            return max(base, exc.retry_after) if isinstance(exc, _Transient) and exc.retry_after else base

        retrying = Retrying(stop=stop_after_attempt(self.cfg.attempts), wait=wait, sleep=self.sleep,
                            retry=retry_if_exception(lambda e: isinstance(e, _Transient)), reraise=True)
        try:
            return retrying(self._once, method, path, params, body)
        except _Transient as e:
            raise PullError(f"{method} {path}: {e}; попыток: {self.cfg.attempts}") from None

    def _once(self, method: str, path: str, params: dict[str, Any] | None, body: Any, renewed: bool = False) -> Any:
        gap = self.last + self.min_gap - time.monotonic()
        if gap > 0:
            self.sleep(gap)
        self.last = time.monotonic()
        self.requests += 1
        try:
            if self.header.startswith("query:"):
                params, headers = {**(params or {}), self.header.removeprefix("query:"): self.token}, {}
            else:
                headers = {self.header: self.token}
            resp = self.http.request(method, path, params=params, json=body, headers=headers)
        except httpx.TimeoutException:
            raise _Transient(f"сервер не ответил за {self.cfg.timeout_seconds:g} с") from None
        except httpx.TransportError as e:
            raise _Transient(f"нет связи с сервером ({type(e).__name__})") from None
        if resp.status_code == 401:
            fresh = self.token_source()
            if fresh != self.token and not renewed:
                self.token = fresh  # refreshed by another job since the run started
                return self._once(method, path, params, body, renewed=True)
            raise PullError(f"{method} {path}: токен доступа недействителен или истёк (HTTP 401); "
                            "обновите токен в файле или переменной окружения")
        if resp.status_code == 429 or resp.status_code >= 500:
            after = resp.headers.get("Retry-After")
            raise _Transient(f"HTTP {resp.status_code}", float(after) if after and after.isdigit() else None)
        if resp.status_code >= 400:
            raise PullError(f"{method} {path}: HTTP {resp.status_code} — запрос отклонён сервером")
        self.date = resp.headers.get("Date")
        try:
            return resp.json()
        except ValueError:
            raise PullError(f"{method} {path}: ответ сервера не JSON") from None


# ---------------------------------------------------------------- run

@dataclass
class PullResult:
    status: str  # loaded | unchanged
    fetched_at: datetime
    previous_pull_at: datetime | None
    requests: int
    report: LoadReport
    notes: list[str]
    db: Path  # the warehouse loaded (--db, else the config's db): the CLI's audit entry goes next to it


Fetcher = Callable[[ApiClient, PullConfig], list[Response]]


@contextmanager
def exclusive(state_dir: Path) -> Iterator[None]:
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PullBusy(f"предыдущая выгрузка ({state_dir}) ещё идёт; этот запуск пропущен") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def run_pull(config_path: Path, db: Path | None = None, *, sleep: Callable[[float], None] = time.sleep) -> PullResult:
    """Fetch everything, map it, load it as one batch; PullError (nothing loaded) on any failure."""
    from etl.adapters import pull_systems  # late: the per-system fetchers import this module

    cfg = load_config(Path(config_path))
    fetch, mapper, header = pull_systems.get(cfg.system)
    target = resolve_db_path(db or cfg.db)
    with exclusive(cfg.state_dir):
        started = datetime.now().replace(microsecond=0)
        previous = last_pull(cfg.state_dir)
        entry: dict[str, Any] = {"started_at": started.isoformat(), "system": cfg.system,
                                 "previous_pull_at": previous.isoformat() if previous else None}
        client = None
        try:
            client = ApiClient(cfg, header, lambda: read_token(cfg), sleep)
            responses = fetch(client, cfg)
            fetched = datetime.now().replace(microsecond=0)
            entry |= {"fetched_at": fetched.isoformat(), "requests": client.requests}
            extract = mapper(cfg.system, responses, ImportOptions(timezone=cfg.timezone))
            extract.manifest |= {"pulled_at": fetched.isoformat(), "pull_started_at": started.isoformat()}
            if previous:
                extract.manifest["previous_pull_at"] = previous.isoformat()
            _keep_run(cfg.state_dir, fetched, extract.raw)
            result = import_extract(extract, target, now=fetched)
        except (PullError, AdapterError, BundleRefused) as e:
            entry |= {"status": "failed", "message": str(e),
                      "requests": client.requests if client else 0}
            _journal(cfg.state_dir, entry)
            raise PullError(str(e)) from None
        finally:
            if client:
                client.close()
        entry |= {"status": result.report.status, "batch_id": result.report.batch_id}
        _journal(cfg.state_dir, entry)
        return PullResult(result.report.status, fetched, previous, client.requests, result.report, extract.notes,
                          target)


def last_pull(state_dir: Path) -> datetime | None:
    """fetched_at of the latest successful pull (loaded or unchanged) in the journal."""
    p = state_dir / JOURNAL
    if not p.exists():
        return None
    last = None
    for line in p.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("status") in ("loaded", "unchanged"):
            last = datetime.fromisoformat(rec["fetched_at"])
    return last


def _journal(state_dir: Path, entry: dict[str, Any]) -> None:
    with (state_dir / JOURNAL).open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _keep_run(state_dir: Path, fetched: datetime, raw: dict[str, bytes]) -> None:
    """Keep the run's raw responses (gzip) and drop all but the last KEEP_RUNS runs."""
    runs = state_dir / RUNS
    run = runs / fetched.strftime("%Y%m%dT%H%M%S")
    run.mkdir(parents=True, exist_ok=True)
    for rel, content in raw.items():
        p = run / (Path(rel).name + ".gz")
        p.write_bytes(gzip.compress(content))
    for old in sorted(runs.iterdir())[:-KEEP_RUNS]:
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
