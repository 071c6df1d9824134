"""The compromise register (regulation 4.3–4.4): an account reported compromised at a time. Written into
the warehouse's `account_incidents` through the loader as a one-row delta bundle, so validation (the
person must exist), atomicity and the import batch are the loader's; every metric then flags that
account's entries from that moment on (`entry_after_compromise`)."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from etl.bundle import BundleRefused
from etl.bundle_spec import MANIFEST_NAME
from etl.loader import load_bundle
from etl.report import LoadReport
from etl.warehouse import connect_readonly

KNOWN_SQL = Path(__file__).with_name("incident_known.sql")


def incident_id(person_id: str, reported_at: dt.datetime) -> str:
    """One incident per account and moment: the same report loaded twice stays one row."""
    return f"incident:{person_id}:{reported_at:%Y%m%dT%H%M%S}"


def record_incident(db: Path, person_id: str, reported_at: dt.datetime, description: str | None,
                    now: dt.datetime | None = None) -> LoadReport:
    """Load the incident (a batch at `now`, default the clock); raise BundleRefused (plain Russian) when
    the loader refuses or rejects it. Recorded again without a description, the incident keeps the one it has."""
    con = connect_readonly(db)
    try:
        role, earlier = con.execute(KNOWN_SQL.read_text(encoding="utf-8"),
                                    {"person_id": person_id, "incident_id": incident_id(person_id, reported_at)}
                                    ).fetchall()[0]
    finally:
        con.close()
    description = description if description is not None else earlier
    if role is None:
        raise BundleRefused(f"в хранилище нет человека с кодом «{person_id}»: укажите код учётной записи из ЭЖ")
    with tempfile.TemporaryDirectory(prefix="zavuch-incident-") as tmp:
        bundle = Path(tmp)
        (bundle / MANIFEST_NAME).write_text('source_system = "zavuch"\nmode = "delta"\n', encoding="utf-8")
        with (bundle / "account_incidents.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "person_id", "reported_at", "description"])
            w.writerow([incident_id(person_id, reported_at), person_id,
                        reported_at.strftime("%Y-%m-%d %H:%M:%S"), description or ""])
        report = load_bundle(bundle, db, now=now)
    if report.rows_rejected:
        reasons = "; ".join(r.reason for r in report.top_reject_reasons) or "строка отклонена"
        raise BundleRefused(f"инцидент не записан: {reasons}")
    return report
