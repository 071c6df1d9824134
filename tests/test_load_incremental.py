"""Reloads: the same bundle changes nothing; a newer snapshot upserts, records mark events, marks
vanished rows deleted (and restores them); delta bundles never delete; first/last_seen are kept."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from etl.loader import load_bundle
from tests.load_fixtures import T0, query, school, write_bundle

T1 = T0 + timedelta(days=1)
T2 = T0 + timedelta(days=2)


def test_same_bundle_twice_is_unchanged_and_file_untouched(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school())
    db = tmp_path / "w.duckdb"
    first = load_bundle(bundle, db, now=T0)
    digest, mtime = hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns
    again = load_bundle(bundle, db, now=T1)
    assert (again.status, again.batch_id) == ("unchanged", first.batch_id)
    assert again.table("marks").read == 4 and again.table("marks").unchanged == 4
    assert "уже загружен" in again.summary()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest and db.stat().st_mtime_ns == mtime


def test_same_content_other_folder_or_zip_is_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "a", school()), db, now=T0)
    assert load_bundle(write_bundle(tmp_path / "copy", school()), db, now=T1).status == "unchanged"


def test_newer_snapshot_upserts_and_records_mark_events(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)

    v2 = school()
    v2["marks"][0]["value"] = "4"  # K1: 5 -> 4 (changed)
    v2["marks"][2]["weight"] = "2"  # K3: weight 1.5 -> 2 (changed)
    v2["marks"][2]["updated_at"] = "2025-09-06 09:00"
    del v2["marks"][3]  # K4 vanished -> deleted
    v2["marks"].append({"id": "K5", "student_id": "P3", "lesson_id": "L3", "value": "5+"})  # created
    v2["lessons"][0]["topic"] = "Натуральные числа и ноль"
    report = load_bundle(write_bundle(tmp_path / "v2", v2), db, now=T1)

    m = report.table("marks")
    assert (m.read, m.inserted, m.updated, m.unchanged, m.deleted) == (4, 1, 2, 1, 1)
    lessons = report.table("lessons")
    assert (lessons.inserted, lessons.updated, lessons.unchanged, lessons.deleted) == (0, 1, 2, 0)
    assert report.table("people").unchanged == 4

    assert query(db, "SELECT id, value_raw, weight, deleted_at, first_seen_at, last_seen_at, batch_id FROM marks ORDER BY id") == [
        ("K1", "4", Decimal("1.00"), None, T0, T1, 2),
        ("K2", "4-", Decimal("2.50"), None, T0, T1, 1),
        ("K3", "3", Decimal("2.00"), None, T0, T1, 2),
        ("K4", "н/а", Decimal("1.00"), T1, T0, T0, 2),
        ("K5", "5+", Decimal("1.00"), None, T1, T1, 2),
    ]
    assert query(
        db,
        "SELECT mark_id, event, event_at, event_at_source, old_value_raw, new_value_raw, old_weight, new_weight "
        "FROM mark_events WHERE batch_id = 2 ORDER BY mark_id",
    ) == [
        ("K1", "changed", T1, "loader", "5", "4", Decimal("1.00"), Decimal("1.00")),
        ("K3", "changed", datetime(2025, 9, 6, 9, 0), "source", "3", "3", Decimal("1.50"), Decimal("2.00")),
        ("K4", "deleted", T1, "loader", "н/а", None, Decimal("1.00"), None),
    ]
    # A new mark (K5, and the four of batch 1) is no event: its creation is first_seen_at.
    assert query(db, "SELECT count(*) FROM mark_events WHERE event = 'created' OR batch_id = 1") == [(0,)]
    assert query(db, "SELECT status, rows_loaded, rows_deleted FROM import_batches ORDER BY batch_id") == [
        ("loaded", 19 + 4, 0),
        ("loaded", 1 + 2 + 1, 1),
    ]

    # The vanished mark comes back in the next snapshot: restored, deleted_at cleared.
    v3 = school()
    v3["marks"][0]["value"] = "4"
    v3["marks"][2].update(weight="2", updated_at="2025-09-06 09:00")
    v3["marks"].append({"id": "K5", "student_id": "P3", "lesson_id": "L3", "value": "5+"})
    report = load_bundle(write_bundle(tmp_path / "v3", v3), db, now=T2)
    assert (report.table("marks").updated, report.table("marks").unchanged) == (1, 4)
    assert query(db, "SELECT deleted_at, last_seen_at FROM marks WHERE id = 'K4'") == [(None, T2)]
    assert query(db, "SELECT event, old_value_raw, new_value_raw FROM mark_events WHERE batch_id = 3") == [
        ("restored", "н/а", "н/а")
    ]


def test_snapshot_scope_is_its_lesson_dates(tmp_path: Path) -> None:
    """A snapshot that covers only 03.09–04.09 does not delete the marks of 02.09."""
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    part = school()
    part["lessons"] = [l for l in part["lessons"] if l["id"] != "L1"]
    part["marks"] = [m for m in part["marks"] if m["lesson_id"] == "L3"]  # K2 (on L2) vanished
    part["homework"] = []
    report = load_bundle(write_bundle(tmp_path / "v2", part), db, now=T1)
    assert report.table("marks").deleted == 1
    assert query(db, "SELECT id FROM marks WHERE deleted_at IS NOT NULL") == [("K2",)]
    assert query(db, "SELECT count(*) FROM lessons WHERE deleted_at IS NOT NULL") == [(0,)]
    assert query(db, "SELECT count(*) FROM homework WHERE deleted_at IS NOT NULL") == [(0,)]


def test_delta_bundle_with_marks_only_never_deletes(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    delta = {"marks": [{"id": "K6", "student_id": "P1", "lesson_id": "L2", "value": "зачёт"}]}
    report = load_bundle(write_bundle(tmp_path / "d", delta, manifest='mode = "delta"\n'), db, now=T1)
    assert [t.table for t in report.tables] == ["marks"]
    assert (report.table("marks").inserted, report.table("marks").deleted) == (1, 0)
    assert query(db, "SELECT count(*), count(deleted_at) FROM marks") == [(5, 0)]
    assert query(db, "SELECT value_kind, school_id, group_id, lesson_date FROM marks WHERE id = 'K6'") == [
        ("pass_fail", "S1", "G5A", datetime(2025, 9, 3).date())
    ]


def test_source_deleted_at_and_unknown_reference_to_deleted_lesson(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "v1", school()), db, now=T0)
    v2 = school()
    v2["marks"][1]["deleted_at"] = "2025-09-05 16:00"
    load_bundle(write_bundle(tmp_path / "v2", v2), db, now=T1)
    assert query(db, "SELECT event, event_at, event_at_source FROM mark_events WHERE batch_id = 2") == [
        ("deleted", datetime(2025, 9, 5, 16, 0), "source")
    ]
