"""Which systems `zavuch pull` can fetch live, and how: fetcher, mapper and token header per system."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta

from etl.adapters.base import AdapterError, Extract, ImportOptions
from etl.adapters.dnevnik_ru import map_responses as map_dnevnik
from etl.adapters.eljur import map_responses as map_eljur
from etl.adapters.eljur import result as eljur_result
from etl.adapters.pull import ApiClient, PullConfig, PullError
from etl.adapters.recording import FILE_NAME, Response, recording_bytes

Mapper = Callable[[str, list[Response], ImportOptions], Extract]
WORKS_PER_REQUEST = 100  # works/many takes a list of ids; keeps request bodies small


def fetch_dnevnik(api: ApiClient, cfg: PullConfig) -> list[Response]:
    """The school's dictionaries, then each group's journal week by week (window_days per request)."""
    out: list[Response] = []

    def call(path: str, method: str = "GET", params: dict | None = None, body=None):
        data = api.call(method, path, params=params, body=body)
        out.append(Response(path, data, method, params or {}, date=api.date))
        return data

    s = cfg.school
    call(f"schools/{s}")
    groups = call(f"schools/{s}/edu-groups")
    call(f"schools/{s}/teachers")
    call(f"work-types/{s}")
    end = cfg.date_to or date.today()
    for g in groups:
        gid = str(g.get("id_str") or g.get("id"))
        call(f"edu-groups/{gid}/students")
        call(f"edu-groups/{gid}/subjects")
        call(f"edu-groups/{gid}/reporting-periods")
        day = cfg.date_from
        while day <= end:
            last = min(day + timedelta(days=cfg.window_days - 1), end)
            a, b = f"{day.isoformat()}T00:00:00", f"{last.isoformat()}T23:59:59"
            lessons = call(f"edu-groups/{gid}/lessons/{a}/{b}")
            works = [str(w) for ls in lessons for w in ls.get("works") or []]
            for i in range(0, len(works), WORKS_PER_REQUEST):
                call("works/many", "POST", body=works[i:i + WORKS_PER_REQUEST])
            call(f"edu-groups/{gid}/marks/{a}/{b}")
            call(f"lesson-log-entries/group/{gid}", params={"from": a, "to": b})
            day = last + timedelta(days=1)
        call(f"edu-groups/{gid}/final-marks")
    return out


def fetch_eljur(api: ApiClient, cfg: PullConfig) -> list[Response]:
    """getrules and getperiods, then each student's diary and marks window by window (`days=from-to`).

    The developer key and vendor go with every request; only `days`/`student` are recorded."""
    devkey = os.environ.get(cfg.devkey_env or "", "").strip()
    if not cfg.vendor or not devkey:
        raise PullError("ЭлЖур: укажите vendor (поддомен школы) и devkey_env (переменная окружения с ключом "
                        "разработчика) в файле настроек")
    fixed = {"devkey": devkey, "vendor": cfg.vendor, "out_format": "json"}
    out: list[Response] = []

    def call(method: str, **params: str) -> Response:
        body = api.call("GET", method, params=fixed | params)
        r = Response(method, body, "GET", params, date=api.date)
        try:
            eljur_result(r)
        except AdapterError as e:
            raise PullError(str(e)) from None
        out.append(r)
        return r

    rules = eljur_result(call("getrules"))
    call("getperiods", weeks="true", show_disabled="true")
    end = cfg.date_to or date.today()
    for student in ((rules.get("relations") or {}).get("students") or {}):
        day = cfg.date_from
        while day <= end:
            last = min(day + timedelta(days=cfg.window_days - 1), end)
            days = f"{day:%Y%m%d}-{last:%Y%m%d}"
            call("getdiary", student=str(student), days=days, rings="1")
            call("getmarks", student=str(student), days=days)
            day = last + timedelta(days=1)
    return out


def _with_raw(mapper: Mapper) -> Mapper:
    def mapped(system: str, responses: list[Response], options: ImportOptions) -> Extract:
        return mapper(system, responses, options, {f"{system}/{FILE_NAME}": recording_bytes(responses)})
    return mapped


SYSTEMS: dict[str, tuple[Callable[[ApiClient, PullConfig], list[Response]], Mapper, str]] = {
    "dnevnik_ru": (fetch_dnevnik, _with_raw(map_dnevnik), "Access-Token"),
    "kundelik_kz": (fetch_dnevnik, _with_raw(map_dnevnik), "Access-Token"),
    "eljur": (fetch_eljur, _with_raw(map_eljur), "query:auth_token"),
}


def get(system: str):
    try:
        return SYSTEMS[system]
    except KeyError:
        raise PullError(f"выгрузка по API для системы «{system}» не поддерживается; доступны: "
                        f"{', '.join(SYSTEMS)} (файлы других систем: zavuch import)") from None

