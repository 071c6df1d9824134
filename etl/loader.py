"""Load a canonical bundle into the warehouse as one batch: all of it lands, or nothing changes.

    load_bundle(bundle, db) -> LoadReport

Steps: lock; open the bundle (refuse unusable input before anything is written); if its content hash
equals the latest loaded batch, report 'unchanged' without touching the file; else copy the warehouse
into a work folder, stage + check + merge every table in LOAD_ORDER inside one transaction, record the
batch, and swap the file in (etl/swap.py). Rejected rows are recorded, valid rows of the same batch load.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from etl.bundle import Bundle, BundleRefused, open_bundle
from etl.bundle_spec import TABLES_BY_NAME, Table
from etl.merge import (
    MergeCounts,
    insert_fresh,
    is_empty,
    joined_references,
    mark_vanished,
    merge,
    shape,
    sql_file,
    target_columns,
)
from etl.norms import NormsError, load_norms
from etl.readers import StagedFile, stage_file
from etl.report import LoadReport, RejectReason, TableCounts, table_title
from etl.russian import plural
from etl.swap import LoaderBusy, exclusive, publish, start_copy
from etl.validation import (
    Plausibility,
    assume_unique_ids,
    check_file,
    count_ids,
    declares_key,
    may_repeat_ids,
    write_rejects,
)
from etl.warehouse import connect_readonly, missing_folder, schema_sql, unusable

__all__ = ["BundleRefused", "LoadProgress", "LoadReport", "LoaderBusy", "latest_batch_id", "load_bundle"]

# Test hook for the atomicity tests: seconds to wait inside the open transaction, just before COMMIT.
HOLD_ENV = "ZAVUCH_LOAD_HOLD_SECONDS"
MEMORY_LIMIT = "1GB"  # DuckDB spills to the work folder beyond this; keeps peak RSS well under 2 GB
# DuckDB cannot estimate how many rows a CSV scan yields and guesses too few, so it builds hash tables on
# the file's millions of rows instead of on the warehouse table they look up. The loader's SQL is written
# with the file on the left of every join (the probe side); these optimizers would swap it.
DISABLED_OPTIMIZERS = "join_order,build_side_probe_side"
TOP_REASONS = 10


class LoadProgress(Protocol):
    def file_started(self, table: str, file_name: str, total_rows: int | None) -> None: ...
    def file_advanced(self, table: str, rows: int) -> None: ...
    def file_finished(self, table: str) -> None: ...


def load_bundle(
    path: Path, db: Path, *, progress: LoadProgress | None = None, now: datetime | None = None,
    places: Mapping[str, Sequence[str | None]] | None = None, now_source: str | None = None,
) -> LoadReport:
    """Load the bundle at `path` into the warehouse file `db`; raise BundleRefused on unusable input.

    `now` is the batch's time (default: the clock); `now_source` says in words where a given `now` came from
    (a recording's own time), for the refusal of data older than the latest batch.

    `places` (an import's bundle, etl/adapters): per bundle file, where each data row came from in the
    system's own files, so that a rejected row names that place, not the import's temporary CSV."""
    started = time.monotonic()
    path, db = Path(path), Path(db)
    try:
        plausibility = Plausibility.from_norms(load_norms())
    except NormsError as e:
        raise BundleRefused(str(e)) from None
    if db.exists() and (reason := unusable(db)):
        raise BundleRefused(reason)
    new_folder = missing_folder(db)
    with exclusive(db) as work:
        created = not db.exists()
        previous = _latest_batch(db)
        now = (now or _batch_clock(previous)).replace(microsecond=0)
        # With a batch to compare with, the content hash decides first; lines and encodings may not be needed.
        bundle = open_bundle(path, work / "unpacked", hash_only=previous is not None)
        try:
            report = _load_bundle(bundle, previous, db, work, now, plausibility, progress, started, places or {},
                                  now_source)
        finally:
            bundle.close()
    report.elapsed_seconds = time.monotonic() - started
    if created:
        report.new_warehouse = f"{db}" + (f" (создана папка {new_folder})" if new_folder else "")
    return report


def _batch_clock(previous: tuple[int, str, datetime] | None) -> datetime:
    """The clock, read once the warehouse is ours (a load that waited for another one comes after it).
    A batch's time is its second: a second batch within the same second waits for the next one."""
    now = datetime.now()
    if previous and now.replace(microsecond=0) == previous[2]:
        time.sleep(1 - now.microsecond / 1_000_000)
        now = datetime.now()
    return now


def _load_bundle(
    bundle: Bundle,
    previous: tuple[int, str, datetime] | None,
    db: Path,
    work: Path,
    now: datetime,
    plausibility: Plausibility,
    progress: LoadProgress | None,
    started: float,
    places: Mapping[str, Sequence[str | None]],
    now_source: str | None = None,
) -> LoadReport:
    """Unchanged (same content hash as the latest batch `previous`) or loaded into a copy that replaces `db`.

    The content hash waits for every file to be read; a first load (nothing to compare with) starts
    at once and waits for each file's digest only where it needs it.
    """
    if previous and previous[1] == bundle.sha256:
        return _unchanged_report(db, previous[0], bundle, started)
    if previous and now <= previous[2] and now_source:
        raise BundleRefused(
            f"{now_source} {now:%d.%m.%Y %H:%M:%S}, не позже последней загруженной партии "
            f"({previous[2]:%d.%m.%Y %H:%M:%S}): более старые данные поверх более новых вернули бы изменённые "
            "отметки и удалённые записи; загружайте записи в том порядке, в каком они сделаны"
        )
    if previous and now <= previous[2]:
        raise BundleRefused(
            f"время загрузки {now:%d.%m.%Y %H:%M:%S} не позже предыдущей партии ({previous[2]:%d.%m.%Y %H:%M:%S}): "
            "проверьте часы компьютера"
        )
    tmp = start_copy(db, work)
    spill = work / "spill"
    spill.mkdir()
    con = duckdb.connect(
        str(tmp),
        config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill), "disabled_optimizers": DISABLED_OPTIMIZERS},
    )
    try:
        report = _load(con, bundle, now, plausibility, progress, work, places)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    publish(tmp, db)
    return report


def latest_batch_id(db: Path) -> int | None:
    """The newest loaded batch of `db` (None: no warehouse or nothing loaded yet). A load stopped by Ctrl+C
    compares it with the one before, to tell whether its batch was written (the swap is the last step)."""
    if not db.exists() or unusable(db):
        return None
    latest = _latest_batch(db)
    return latest[0] if latest else None


def _latest_batch(db: Path) -> tuple[int, str, datetime] | None:
    if not db.exists():
        return None
    con = connect_readonly(db)
    try:
        row = con.execute(
            "SELECT batch_id, bundle_sha256, started_at FROM import_batches WHERE status = 'loaded' "
            "ORDER BY batch_id DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return (int(row[0]), str(row[1]), row[2]) if row else None


def _unchanged_report(db: Path, batch_id: int, bundle: Bundle, started: float) -> LoadReport:
    """Same content as the latest batch: report what that batch carried, write nothing."""
    con = connect_readonly(db)
    try:
        files = con.execute(
            "SELECT table_name, file_name, rows_read, rows_rejected FROM import_files WHERE batch_id = $b",
            {"b": batch_id},
        ).fetchall()
    finally:
        con.close()
    tables = [TableCounts(t, f, read=r, unchanged=r - rej, rejected=rej) for t, f, r, rej in files]
    order = {name: i for i, name in enumerate(bundle.tables)}
    tables.sort(key=lambda t: order.get(t.table, len(order)))
    return LoadReport(batch_id, "unchanged", str(bundle.source), tables, [], time.monotonic() - started)


def _load(
    con: duckdb.DuckDBPyConnection,
    bundle: Bundle,
    now: datetime,
    plausibility: Plausibility,
    progress: LoadProgress | None,
    work: Path,
    places: Mapping[str, Sequence[str | None]],
) -> LoadReport:
    con.execute(schema_sql())
    plausibility.set_variables(con)
    con.execute(sql_file("macros.sql"))
    con.execute(sql_file("parse_mark.sql"))
    batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches").fetchone()[0]
    params: dict[str, Any] = {
        "batch_id": batch_id,
        "now": now,
        "source_system": bundle.manifest.source_system,
        "max_entry_lag_days": plausibility.max_entry_lag_days,
    }
    report = LoadReport(batch_id, "loaded", str(bundle.source))
    staged_info: dict[str, Any] = {}
    con.begin()
    _record_warehouse_info(con, now)
    facts_started = False
    for f in bundle.files:
        table = f.table
        if table.is_fact and not facts_started:
            con.execute(sql_file("member_spans.sql"))
            facts_started = True
        if progress:
            progress.file_started(table.name, f.name, max(f.lines - 1, 0) if f.format == "csv" else None)
        staged = stage_file(con, f, work)
        types = {c: t for c, (t, _) in target_columns(con, table.name).items()}
        fresh = is_empty(con, table.name)
        try:
            if fresh:
                read, counts, rejected = _insert_fresh(con, table, staged, types, params)
            else:
                read = count_ids(con, staged)
                check_file(con, staged, types)
                rejected = write_rejects(con, staged, batch_id)
                shape(con, table, params)
                counts = merge(con, table, params)
            if progress:
                progress.file_advanced(table.name, read)
        except (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException) as e:
            raise BundleRefused(_unreadable(f.name, e)) from None
        if rejected:
            _refuse_cut_off(con, staged, batch_id)
        if counts.inserted + counts.updated + counts.unchanged + rejected != read:
            # Every row read is loaded or rejected, once: anything else is a loader bug; COMMIT never runs.
            raise RuntimeError(
                f"{f.name}: внутренняя ошибка загрузчика: прочитано {read} строк, загружено и отклонено "
                f"{counts.inserted + counts.updated + counts.unchanged + rejected}; хранилище не изменено"
            )
        report.tables.append(
            TableCounts(
                table.name, f.name, read, counts.inserted, counts.updated, counts.unchanged, rejected,
                ignored_columns=staged.ignored_headers,
            )
        )
        staged_info[table.name] = staged
        if progress:
            progress.file_finished(table.name)
    if bundle.manifest.mode == "snapshot":
        _mark_vanished(con, bundle, report, params)
    _name_source_places(con, batch_id, places)
    _record_batch(con, bundle, report, staged_info, now)
    report.top_reject_reasons = [
        RejectReason(t, r, n, f)
        for f, t, r, n, _, _ in con.execute(
            sql_file("reject_reasons.sql"), {"batch_id": batch_id, "limit": TOP_REASONS},
        ).fetchall()
    ]
    hold = float(os.environ.get(HOLD_ENV) or 0)
    if hold:
        time.sleep(hold)
    con.commit()
    return report


def _insert_fresh(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staged: StagedFile,
    types: dict[str, str],
    params: dict[str, Any],
) -> tuple[int, MergeCounts, int]:
    """Nothing stored to compare with: clean rows go straight in from the unnumbered (parallel) view.

    Returns (rows read, counts, rows rejected). A clean CSV file is read once: every data line became
    a row and no id repeats in the inserted rows. Otherwise (rejected cells, repeated ids, blank or
    multi-line rows, other formats) the file is read again: counted with its repeated ids, the rows
    of repeated ids taken out, the rejects written from line-numbered rows, and the first occurrence
    of each repeated id put back; the result is the same as checking the whole file first.
    """
    name = table.name
    assume_unique_ids(con, name)
    check_file(con, staged, types, materialize=False, joined=joined_references(table))
    source = f"checked_{name}_unnumbered"
    if declares_key(con, name):
        # DuckDB would refuse a repeated id mid-insert and lose the transaction: every row of an id that
        # repeats stays out of the first insert (the count then differs and the exact path reports them).
        source = f"(SELECT * FROM {source} QUALIFY count(*) OVER (PARTITION BY r_id) = 1)"
    shape(con, table, params, source=source)
    counts = insert_fresh(con, table)
    clean = staged.file.format == "csv" and counts.inserted == staged.file.data_lines
    if clean and not may_repeat_ids(con, name):
        return counts.inserted, counts, 0
    read = count_ids(con, staged)
    repeated = f"(SELECT id FROM dup_{name})"
    counts.inserted -= con.execute(f"DELETE FROM {name} WHERE id IN {repeated}").fetchone()[0]
    rejected = write_rejects(con, staged, params["batch_id"])
    shape(con, table, params, source=f"(SELECT * FROM checked_{name} WHERE r_id IN {repeated})")
    counts.inserted += insert_fresh(con, table).inserted
    return read, counts, rejected


def _mark_vanished(con: duckdb.DuckDBPyConnection, bundle: Bundle, report: LoadReport, params: dict[str, Any]) -> None:
    """Snapshot scope: the bundle's schools, and the date range of its lessons (else of each file's own rows)."""
    facts = [t for t in bundle.tables if TABLES_BY_NAME[t].is_fact]
    if not facts:
        return
    seen = " UNION ".join(f"SELECT school_id FROM {t} WHERE last_seen_at = $now" for t in facts)
    if "schools" in bundle.tables:
        seen += " UNION SELECT id FROM schools WHERE id IN (SELECT r_id FROM checked_schools)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE snapshot_schools AS SELECT school_id FROM ({seen})", {"now": params["now"]})
    lessons_range = _seen_dates(con, "lessons", params) if "lessons" in bundle.tables else None
    for t in facts:
        table = TABLES_BY_NAME[t]
        dates = lessons_range if "lessons" in bundle.tables else _seen_dates(con, t, params)
        counts = report.table(t)
        counts.deleted = mark_vanished(con, table, "snapshot_schools", dates, params)
        if counts.read == 0 and counts.deleted:
            # A header and no rows is what a failed export writes: as a snapshot it would delete them all.
            raise BundleRefused(
                f"{counts.file_name}: в файле нет ни одной строки (только заголовок), а полный срез пометил бы "
                f"удалёнными в источнике все {counts.deleted} {plural(counts.deleted, 'строку', 'строки', 'строк')} таблицы «{table_title(t)}» за даты уроков "
                "пакета; выгрузите файл из ЭЖ заново или уберите его из пакета"
            )


def _seen_dates(con: duckdb.DuckDBPyConnection, table: str, params: dict[str, Any]) -> tuple[Any, Any] | None:
    if "lesson_date" not in target_columns(con, table):
        return None
    lo, hi = con.execute(
        f"SELECT min(lesson_date), max(lesson_date) FROM {table} WHERE last_seen_at = $now", {"now": params["now"]}
    ).fetchone()
    return (lo, hi) if lo is not None else None


def _record_warehouse_info(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    version = hashlib.sha256(schema_sql().encode()).hexdigest()[:12]
    con.execute("INSERT OR IGNORE INTO warehouse_info VALUES ('created_at', $now)", {"now": now.isoformat(sep=" ")})
    con.execute("INSERT OR REPLACE INTO warehouse_info VALUES ('schema_version', $v)", {"v": version})


def _record_batch(
    con: duckdb.DuckDBPyConnection, bundle: Bundle, report: LoadReport, staged: dict[str, Any], now: datetime
) -> None:
    for t in report.tables:
        s = staged[t.table]
        con.execute(
            "INSERT INTO import_files VALUES ($b, $t, $f, $sha, $fmt, $enc, $delim, $read, $ins, $upd, $unch, $rej, $del)",
            {
                "b": report.batch_id, "t": t.table, "f": t.file_name, "sha": s.file.sha256, "fmt": s.file.format,
                "enc": s.encoding, "delim": s.delimiter, "read": t.read, "ins": t.inserted, "upd": t.updated,
                "unch": t.unchanged, "rej": t.rejected, "del": t.deleted,
            },
        )
    con.execute(
        "INSERT INTO import_batches VALUES ($b, $src, $path, $sha, $mode, $started, $finished, 'loaded', "
        "$read, $loaded, $unch, $rej, $del, NULL)",
        {
            "b": report.batch_id, "src": bundle.manifest.source_system, "path": str(bundle.source),
            "sha": bundle.sha256, "mode": bundle.manifest.mode, "started": now, "finished": max(now, datetime.now().replace(microsecond=0)),
            "read": sum(t.read for t in report.tables),
            "loaded": sum(t.inserted + t.updated for t in report.tables),
            "unch": sum(t.unchanged for t in report.tables),
            "rej": report.rows_rejected,
            "del": sum(t.deleted for t in report.tables),
        },
    )


def _name_source_places(
    con: duckdb.DuckDBPyConnection, batch_id: int, places: Mapping[str, Sequence[str | None]]
) -> None:
    """Give each rejected row of an import the place in the system's files its data came from.
    Bundle line n is data row n - 2 (line 1 is the header; the import writes no blank lines)."""
    for file_name, rows in places.items():
        lines = con.execute(
            "SELECT DISTINCT line FROM rejected_rows WHERE batch_id = $b AND file_name = $f AND line IS NOT NULL",
            {"b": batch_id, "f": file_name},
        ).fetchall()
        named = [(rows[line - 2], batch_id, file_name, line) for (line,) in lines if 0 <= line - 2 < len(rows)]
        if named:
            con.executemany(
                "UPDATE rejected_rows SET source_place = ? WHERE batch_id = ? AND file_name = ? AND line = ?", named
            )


def _refuse_cut_off(con: duckdb.DuckDBPyConnection, staged: StagedFile, batch_id: int) -> None:
    """Refuse a CSV file whose last line has no line ending and is rejected: a copy or a download that
    stopped mid-line. Loaded, its cut row would be a reject and, in a snapshot, the rows after it would
    be marked deleted at the source: marks vanishing from every figure without a word."""
    f = staged.file
    if f.format != "csv" or f.content.ends_with_newline or f.lines < 1:
        return
    cut = con.execute(
        f"SELECT line, column_name, value, reason FROM rejected_rows WHERE batch_id = $batch_id "
        f"AND table_name = $table AND line = (SELECT max(_line) FROM {staged.relation}) LIMIT 1",
        {"batch_id": batch_id, "table": f.table.name},
    ).fetchone()
    if cut:
        line, column, value, reason = cut
        raise BundleRefused(
            f"{f.name}, строка {line}, столбец {column}: файл, похоже, обрезан: последняя строка не закончена "
            f"(нет перевода строки) и не читается («{value}»: {reason}); скопируйте или выгрузите файл заново"
        )


def _unreadable(file_name: str, e: Exception) -> str:
    """DuckDB's CSV error in plain words: which line, and how many cells it has against the header."""
    text = str(e)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and cells:
        more = "больше" if int(cells[2]) > int(cells[1]) else "меньше"
        return (
            f"{file_name}, строка {line[1]}: файл не читается: в строке {more} ячеек, чем в заголовке ({cells[1]}); "
            "лишний разделитель или незакрытая кавычка?"
        )
    if line:
        return f"{file_name}, строка {line[1]}: файл не читается как CSV (незакрытая кавычка или испорченная строка?)"
    return f"{file_name}: файл не читается: {text.strip().splitlines()[0]}"
