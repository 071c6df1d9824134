"""Year-end archive (issue 9): two verified signed copies, every kind of tampering detected, restore gives
the same metrics, a crash mid-write leaves nothing that verifies, keys are private."""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from pypdf import PdfReader
from typer.testing import CliRunner

import queries
from cli.main import app
from etl.archive import ArchiveError, create_archive, generate_keypair, restore_archive, verify
from etl.archive.copies import partial_name, write_copy
from etl.archive.keys import load_private_key
from etl.archive.sql import table_names
from etl.warehouse import connect_readonly, schema_sql
from tests.archive_fixtures import (  # noqa: F401  (year_archive is a fixture)
    CREATED_AT,
    CREATED_BY,
    DOC_DATE,
    NAME,
    YEAR_NAME,
    archive_copy,
    manifest,
    replace_file,
    year_archive,
)

ROOT = Path(__file__).resolve().parents[1]
PERIODS = ("s001-per-s1", "s001-per-s2", "s001-per-h1", "s001-per-h2")


def problems(v) -> list[tuple[str, str]]:
    return [(p.kind, p.path) for p in v.problems]


# ------------------------------------------------------------------ creation


def test_both_copies_verify_with_the_schools_key(year_archive):
    for copy in year_archive.copies:
        v = verify(copy, year_archive.public_key)
        assert v.ok, v.problems
        assert v.key_fingerprint == year_archive.fingerprint and not v.key_from_archive
    a, b = (manifest(c) for c in year_archive.copies)
    assert a == b


def test_manifest_lists_every_file_with_size_and_sha256(year_archive):
    copy = year_archive.copies[0]
    m = manifest(copy)
    on_disk = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()}
    assert {f["path"] for f in m["files"]} == on_disk - {"manifest.json", "manifest.sig"}
    marks = next(f for f in m["files"] if f["path"] == "data/marks.parquet")
    assert marks["size"] == (copy / "data/marks.parquet").stat().st_size
    assert marks["sha256"] == hashlib.sha256((copy / "data/marks.parquet").read_bytes()).hexdigest()


def test_records_metadata(year_archive):
    r = manifest(year_archive.copies[0])["records"]
    assert r["school"]["id"] == "s001"
    assert r["academic_year"] == {"id": "s001-y2025", "name": YEAR_NAME, "start_date": "2025-09-01",
                                  "end_date": "2026-05-31"}
    assert r["created_at"] == CREATED_AT.isoformat() == "2026-06-20T10:30:00+03:00"
    assert r["created_by"] == CREATED_BY
    assert "номенклатур" in r["retention"] and "15489" in r["basis"]
    assert manifest(year_archive.copies[0])["name"] == NAME


def test_every_table_is_archived_with_all_rows_of_the_year(year_archive):
    # The demo warehouse holds one school and one year: every row of every table belongs to the archive.
    m = manifest(year_archive.copies[0])
    data = {f["table"]: f for f in m["files"] if f["role"] == "data"}
    con = connect_readonly(year_archive.db)
    tables = [r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    assert sorted(data) == tables
    for t in ("marks", "lessons", "final_marks", "attendance", "homework", "people", "periods"):
        assert data[t]["rows"] == con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] > 0, t
    csv = pl.read_csv(year_archive.copies[0] / "csv/marks.csv", separator=";", infer_schema=False)
    assert csv.height == data["marks"]["rows"]
    assert (year_archive.copies[0] / "csv/marks.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


def test_every_schema_table_has_an_export_query():
    con = duckdb.connect()
    con.execute(schema_sql())
    assert sorted(r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()) == list(table_names())


def test_documents_are_the_year_and_period_sheets_and_the_spravki(year_archive):
    copy = year_archive.copies[0]
    docs = {f["path"]: f["title"] for f in manifest(copy)["files"] if f["role"] == "document"}
    assert set(docs) == {"documents/svodnaya-god.pdf", *(f"documents/svodnaya-{p}.pdf" for p in PERIODS),
                         *(f"documents/spravka-{p}.pdf" for p in PERIODS)}
    assert docs["documents/svodnaya-god.pdf"] == \
        "Сводные ведомости успеваемости за 2025/2026 учебный год (годовые отметки)"
    year = PdfReader(copy / "documents/svodnaya-god.pdf")
    assert year.metadata.title == docs["documents/svodnaya-god.pdf"]
    assert "Сводная ведомость успеваемости" in year.pages[0].extract_text()
    spravka = PdfReader(copy / "documents/spravka-s001-per-s2.pdf")
    text = spravka.pages[0].extract_text()
    assert "СПРАВКА" in text and "2 семестр" in text


# ------------------------------------------------------------------ tampering


@pytest.fixture
def copy(year_archive, tmp_path) -> Path:
    return archive_copy(year_archive.copies[0], tmp_path)


def test_one_changed_byte_is_detected(copy, year_archive):
    f = copy / "data/marks.parquet"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0x01
    replace_file(f, bytes(data))
    v = verify(copy, year_archive.public_key)
    assert problems(v) == [("altered", "data/marks.parquet")]
    assert "SHA-256" in v.problems[0].message


def test_deleted_file_is_detected(copy, year_archive):
    (copy / "documents/spravka-s001-per-s1.pdf").unlink()
    v = verify(copy, year_archive.public_key)
    assert problems(v) == [("missing", "documents/spravka-s001-per-s1.pdf")]
    assert v.problems[0].message == "нет файла documents/spravka-s001-per-s1.pdf"


def test_added_file_is_detected(copy, year_archive):
    (copy / "csv/notes.csv").write_text("a;b\n")
    v = verify(copy, year_archive.public_key)
    assert problems(v) == [("extra", "csv/notes.csv")]
    assert "нет в манифесте" in v.problems[0].message


def test_replaced_signature_is_detected(copy, year_archive, tmp_path):
    other = generate_keypair(tmp_path / "other.key")
    forged = load_private_key(other.private).sign((copy / "manifest.json").read_bytes())
    replace_file(copy / "manifest.sig", base64.b64encode(forged) + b"\n")
    v = verify(copy, year_archive.public_key)
    assert problems(v) == [("signature", "manifest.sig")]
    assert "подпись манифеста неверна" in v.problems[0].message


def test_edited_manifest_breaks_the_signature(copy, year_archive):
    text = (copy / "manifest.json").read_text(encoding="utf-8").replace(CREATED_BY, "Кто-то другой")
    replace_file(copy / "manifest.json", text.encode("utf-8"))
    assert problems(verify(copy, year_archive.public_key)) == [("signature", "manifest.sig")]


def test_archive_resigned_with_another_key_fails_against_the_schools_key(copy, year_archive, tmp_path):
    # Someone rebuilds the manifest and signs it with their own key, putting that key into the archive:
    # consistent by itself, refused against the school's public key.
    other = generate_keypair(tmp_path / "other.key")
    replace_file(copy / "signing-key.pub", other.public.read_bytes())
    v = verify(copy, year_archive.public_key)
    assert ("altered", "signing-key.pub") in problems(v)
    assert verify(copy, other.public).problems[0].kind == "key"


def test_cli_verify_exit_codes_and_messages(copy, year_archive):
    runner = CliRunner()
    ok = runner.invoke(app, ["archive", "verify", str(copy), "--pubkey", str(year_archive.public_key)])
    assert ok.exit_code == 0, ok.output
    assert "подпись верна" in ok.output
    (copy / "README.txt").unlink()
    (copy / "extra.bin").write_bytes(b"x")
    bad = runner.invoke(app, ["archive", "verify", str(copy), "--pubkey", str(year_archive.public_key)])
    assert bad.exit_code == 1
    assert "НАРУШЕНИЕ: нет файла README.txt" in bad.output
    assert "НАРУШЕНИЕ: лишний файл extra.bin" in bad.output
    assert "2\u00a0нарушения" in bad.output


def test_cli_verify_without_a_signature_does_not_say_it_was_checked(copy, year_archive):
    """An archive without manifest.sig, checked without --pubkey, printed «НАРУШЕНИЕ: нет файла подписи» and
    then «Подпись проверена ключом из самого архива … сверьте отпечаток»: an inspector read that the signature
    had been checked. The note is for a signature that verified against the archive's own key only."""
    runner = CliRunner()
    ok = runner.invoke(app, ["archive", "verify", str(copy)])
    assert ok.exit_code == 0 and "Подпись проверена ключом из самого архива" in ok.output
    (copy / "manifest.sig").unlink()
    bad = runner.invoke(app, ["archive", "verify", str(copy)])
    assert bad.exit_code == 1 and "НАРУШЕНИЕ: нет файла подписи manifest.sig" in bad.output
    assert "Подпись проверена" not in bad.output


# ------------------------------------------------------------------ restore


@pytest.fixture(scope="module")
def restored(year_archive, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("restore") / "restored.duckdb"
    report = restore_archive(year_archive.copies[1], db, year_archive.public_key)
    assert report.archive == NAME
    return db


def test_restore_gives_identical_metrics(year_archive, restored):
    original, copy = connect_readonly(year_archive.db), connect_readonly(restored)
    for period in ("s001-per-s2", "s001-per-h1"):
        scope = queries.Scope(period_id=period, as_of=DOC_DATE)
        for metric in ("period_mark_mismatch", "mark_late", "results_summary", "lesson_marks_density",
                       "timeliness_summary", "attendance_summary"):
            expected = queries.run(original, metric, scope)
            assert expected.height > 0, metric
            assert_frame_equal(queries.run(copy, metric, scope), expected, check_row_order=False)


def test_restore_gives_identical_rows(year_archive, restored):
    con = duckdb.connect()
    con.execute(f"ATTACH '{year_archive.db}' AS o (READ_ONLY)")
    con.execute(f"ATTACH '{restored}' AS r (READ_ONLY)")
    for t in table_names():
        if t == "warehouse_info":
            continue
        diff = con.sql(f"SELECT count(*) FROM ((SELECT * FROM o.{t} EXCEPT ALL SELECT * FROM r.{t}) UNION ALL "
                       f"(SELECT * FROM r.{t} EXCEPT ALL SELECT * FROM o.{t}))").fetchall()[0][0]
        assert diff == 0, t
    info = dict(con.sql("SELECT key, value FROM r.warehouse_info").fetchall())
    assert info["restored_from_archive"] == NAME


def test_restore_refuses_a_damaged_archive_and_an_existing_file(copy, year_archive, tmp_path):
    (copy / "data/lessons.parquet").unlink()
    with pytest.raises(ArchiveError, match="не прошёл проверку.*нет файла data/lessons.parquet"):
        restore_archive(copy, tmp_path / "new.duckdb")
    assert not (tmp_path / "new.duckdb").exists()
    existing = tmp_path / "existing.duckdb"
    existing.write_bytes(b"keep")
    with pytest.raises(ArchiveError, match="уже существует"):
        restore_archive(year_archive.copies[0], existing)
    assert existing.read_bytes() == b"keep"


# ------------------------------------------------------------------ crash mid-write

CRASH = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from etl.archive import write_copy
    calls, kill_at = 0, int(sys.argv[3])
    real_fsync = os.fsync
    def fsync(fd):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)  # power cut: no cleanup runs
        real_fsync(fd)
    os.fsync = fsync
    write_copy(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[4])
""")


def _fsyncs_before_rename(archive: Path) -> int:
    return sum(1 for _ in archive.rglob("*")) + 1  # every file and every folder, the copy's root included


@pytest.mark.parametrize("where", ["first file", "half way", "last folder"])
def test_crash_mid_write_leaves_no_archive_that_verifies(year_archive, tmp_path, where):
    source = year_archive.copies[0]
    total = _fsyncs_before_rename(source)
    kill_at = {"first file": 1, "half way": total // 2, "last folder": total}[where]
    dest = tmp_path / "medium"
    dest.mkdir()
    proc = subprocess.run([sys.executable, "-c", CRASH, str(source), str(dest), str(kill_at), NAME],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert not (dest / NAME).exists()
    leftovers = list(dest.iterdir())
    assert len(leftovers) == 1 and leftovers[0].name.startswith(f".{NAME}.partial-")
    v = verify(leftovers[0], year_archive.public_key)
    assert not v.ok
    if where == "last folder":  # every byte is there: only the name says it never completed
        assert problems(v) == [("name", leftovers[0].name)]


def test_write_copy_publishes_a_verified_copy(year_archive, tmp_path):
    v = write_copy(year_archive.copies[0], tmp_path, NAME, year_archive.public_key)
    assert v.ok and v.folder == tmp_path / NAME
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    assert partial_name(NAME).startswith(f".{NAME}.partial-")
    with pytest.raises(ArchiveError, match="уже есть"):
        write_copy(year_archive.copies[0], tmp_path, NAME)


# ------------------------------------------------------------------ keys and refusals


def test_keygen_mode_0600_no_overwrite_no_key_in_output(tmp_path):
    runner = CliRunner()
    key = tmp_path / "school.key"
    result = runner.invoke(app, ["archive", "keygen", "--out", str(key)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    body = "".join(key.read_text().splitlines()[1:-1])
    assert body not in result.output and "PRIVATE KEY" not in result.output
    before = key.read_bytes()
    again = runner.invoke(app, ["archive", "keygen", "--out", str(key)])
    assert again.exit_code == 2 and "не перезаписывается" in again.output
    assert key.read_bytes() == before


def test_create_refuses_a_key_readable_by_others(demo_school, tmp_path):
    key = generate_keypair(tmp_path / "k")
    os.chmod(key.private, 0o644)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    with pytest.raises(ArchiveError, match="chmod 600"):
        create_archive(demo_school.db, [tmp_path / "a", tmp_path / "b"], key.private, YEAR_NAME)


def test_create_given_the_public_key_or_an_unreadable_key_says_so(demo_school, tmp_path, monkeypatch):
    """--key FILE.pub was refused as «закрытый ключ доступен другим пользователям (права 644)», so the admin
    ran chmod 600 on the public key; a key another user owns ended in a PermissionError traceback."""
    key = generate_keypair(tmp_path / "k")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    media = [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(ArchiveError) as e:
        create_archive(demo_school.db, media, key.public, YEAR_NAME)
    assert str(e.value) == f"{key.public}: это открытый ключ; подписывает закрытый — файл без .pub ({key.private})"
    real_read = Path.read_bytes

    def not_ours(self: Path) -> bytes:  # root reads any file; another user's 0600 key is refused like this
        if self == key.private:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", not_ours)
    with pytest.raises(ArchiveError) as e:
        create_archive(demo_school.db, media, key.private, YEAR_NAME)
    assert str(e.value) == f"{key.private}: файл или папка не читается: нет прав на чтение"
    assert list((tmp_path / "a").iterdir()) == list((tmp_path / "b").iterdir()) == []


def test_create_refusals(demo_school, tmp_path):
    key = generate_keypair(tmp_path / "k")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["archive", "create", "--db", str(demo_school.db), "--key", str(key.private),
                                   *args])

    single = run("--year", YEAR_NAME, "--to", str(a))
    assert single.exit_code == 2 and "минимум на двух носителях" in single.output
    same = run("--year", YEAR_NAME, "--to", str(a), "--to", str(a))
    assert same.exit_code == 2 and "указана дважды" in same.output
    absent = run("--year", YEAR_NAME, "--to", str(a), "--to", str(tmp_path / "нет"))
    assert absent.exit_code == 2 and "не существует" in absent.output
    unknown = run("--year", "1999/2000", "--to", str(a), "--to", str(b))
    assert unknown.exit_code == 2 and "учебный год «1999/2000» не найден" in unknown.output
    assert list(a.iterdir()) == [] and list(b.iterdir()) == []
