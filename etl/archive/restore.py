"""`zavuch archive restore`: a new warehouse from a verified archive, row for row the archived one.

Only a copy that verifies is restored. The new file is built in the loader's work folder and swapped
into place (etl/swap.py), so an interrupted restore leaves no warehouse file at all; an existing
warehouse is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.archive.errors import ArchiveError
from etl.archive.verify import Verification, verify
from etl.bundle import BundleRefused
from etl.swap import exclusive, publish, start_copy
from etl.warehouse import schema_sql


@dataclass(frozen=True)
class RestoreReport:
    db: Path
    archive: str
    tables: dict[str, int]  # rows restored per table
    verification: Verification


def restore_archive(folder: Path, db: Path, pubkey: Path | None = None) -> RestoreReport:
    """Verify the archive in `folder`, then build the warehouse file `db` (which must not exist) from it."""
    folder, db = Path(folder), Path(db)
    check = verify(folder, pubkey)
    if not check.ok:
        raise ArchiveError(f"архив {folder} не прошёл проверку, восстановление отменено: "
                           + "; ".join(p.message for p in check.problems))
    if db.exists():
        raise ArchiveError(f"{db}: файл уже существует; восстановление пишет только в новый файл хранилища")
    tables = {f["table"]: f for f in check.manifest["files"] if f["role"] == "data"}
    try:
        with exclusive(db) as work:
            if db.exists():
                raise ArchiveError(f"{db}: файл появился во время восстановления; ничего не записано")
            tmp = start_copy(db, work)
            counts = _build(tmp, folder, tables, check.manifest["name"])
            publish(tmp, db)
    except BundleRefused as e:  # another load or restore runs, or the folder may not be written
        raise ArchiveError(str(e)) from None
    return RestoreReport(db, check.manifest["name"], counts, check)


def _build(tmp: Path, folder: Path, tables: dict[str, dict], name: str) -> dict[str, int]:
    con = duckdb.connect(str(tmp))
    try:
        con.execute(schema_sql())
        con.execute("DELETE FROM attendance_codes")  # the archive's own code table replaces the defaults
        counts = {}
        for table, f in sorted(tables.items()):
            path = str(folder / f["path"])
            try:
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet($path)', {"path": path})
            except duckdb.CatalogException:
                raise ArchiveError(f"в схеме хранилища нет таблицы «{table}» из архива") from None
            counts[table] = con.sql(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
            if counts[table] != f["rows"]:
                raise ArchiveError(f"{f['path']}: восстановлено {counts[table]} строк, в описи {f['rows']}")
        stamp = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
        con.execute("INSERT OR REPLACE INTO warehouse_info VALUES ('restored_from_archive', $n), "
                    "('restored_at', $t)", {"n": name, "t": stamp})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts
