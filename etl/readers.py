"""Read one bundle file into DuckDB as text: a relation `stage_<table>` with `_line` and one VARCHAR per
column of the bundle spec (absent optional columns are NULL).

Values stay text here; typing and validation happen in one SQL pass (etl/validation.py) so that a bad
cell becomes a rejected row instead of a refused file. CSV is read by DuckDB itself (fast); only
Windows-1251 files are first transcoded to UTF-8, because DuckDB has no encodings extension offline.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import duckdb

from etl.bundle import BundleFile, BundleRefused
from etl.bundle_spec import Column

# Files that are not UTF-8 come from Russian Windows/DOS tools; guessing among all code pages on a small
# file picks Shift-JIS or cp1250 for Cyrillic text, so the guess is limited to Cyrillic code pages.
CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
DELIMITERS = (";", "\t", ",")  # preference on a tie: Russian Excel writes ';'
_CHUNK = 1 << 20


@dataclass
class StagedFile:
    file: BundleFile
    relation: str  # view holding `_line` + spec columns as text (and <relation>_unnumbered: `_line` NULL)
    headers: dict[str, str]  # spec column -> header as written in the file
    encoding: str | None = None
    delimiter: str | None = None
    ignored_headers: tuple[str, ...] = ()
    _keep: list[object] = field(default_factory=list)  # objects DuckDB scans lazily (Polars frames)


def stage_file(con: duckdb.DuckDBPyConnection, f: BundleFile, work_dir: Path) -> StagedFile:
    """Expose the file as relation stage_<table>; refuse it if it cannot be read or lacks a required column."""
    readers = {"csv": _stage_csv, "xlsx": _stage_xlsx, "parquet": _stage_parquet, "jsonl": _stage_jsonl}
    return readers[f.format](con, f, work_dir)


def normalize_header(text: str) -> str:
    """'  Дата  урока ' == 'дата урока'; ё == е; '_' == ' ' (so 'lesson_date' == 'Lesson date')."""
    return " ".join(text.replace("\ufeff", "").replace("_", " ").lower().replace("ё", "е").split())


def _typo(missing: list[Column], ignored: list[str], headers: list[str]) -> str:
    """The unknown header that is a misspelling of a missing column («studnet_id», «Учениик»), with its
    column number: the admin fixes one cell instead of hunting for it."""
    names = {normalize_header(n): c.name for c in missing for n in (c.name, *c.aliases)}
    for h in ignored:
        close = difflib.get_close_matches(normalize_header(h), list(names), n=1, cutoff=0.75)
        if close:
            column = next(i for i, x in enumerate(headers, start=1) if (x or "").strip() == h)
            return f"; в заголовке есть «{h}» (столбец {column}) — опечатка в {names[close[0]]}?"
    return ""


def _header_lookup(f: BundleFile) -> dict[str, str]:
    """Normalised header (name or alias) -> spec column."""
    lookup: dict[str, str] = {}
    for c in f.table.columns:
        for name in (c.name, *c.aliases):
            lookup.setdefault(normalize_header(name), c.name)
    return lookup


def map_headers(f: BundleFile, headers: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """Spec column -> position in the file; refuse duplicates and missing required columns."""
    lookup = _header_lookup(f)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, h in enumerate(headers):
        col = lookup.get(normalize_header(h or ""))
        if col is None:
            if (h or "").strip():
                ignored.append(h.strip())
            continue
        if col in positions:
            raise BundleRefused(
                f"{f.name}, строка 1: столбцы «{headers[positions[col]]}» и «{h}» оба означают {col}; оставьте один"
            )
        positions[col] = i
    missing = [c for c in f.table.columns if c.required and c.name not in positions]
    if missing:
        wanted = "; ".join(f"{c.name} (или {', '.join('«' + a + '»' for a in c.aliases)})" for c in missing)
        raise BundleRefused(f"{f.name}, строка 1: нет обязательного столбца: {wanted}{_typo(missing, ignored, headers)}")
    return positions, tuple(ignored)


def _view(
    con: duckdb.DuckDBPyConnection, f: BundleFile, source_sql: str, positions: dict[str, int], line_offset: int
) -> str:
    """Two views: `_line` plus every spec column by name, NULL where the file lacks it, blank rows skipped.

    stage_<table> numbers the lines (DuckDB numbers rows in one thread); stage_<table>_unnumbered has
    `_line` NULL and is read in parallel: a first load inserts the clean rows from it, and numbers
    lines only when some row must be reported.
    """
    relation = f"stage_{f.table.name}"
    cols = ", ".join(
        f"src.c{positions[c.name]} AS {c.name}" if c.name in positions else f"CAST(NULL AS VARCHAR) AS {c.name}"
        for c in f.table.columns
    )
    present = " OR ".join(f"NULLIF(trim(src.c{i}), '') IS NOT NULL" for i in positions.values())
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {relation} AS "
        f"SELECT src._line, {cols} FROM "
        f"(SELECT row_number() OVER () + {line_offset} AS _line, * FROM {source_sql}) AS src WHERE {present}"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {relation}_unnumbered AS "
        f"SELECT CAST(NULL AS BIGINT) AS _line, {cols} FROM {source_sql} AS src WHERE {present}"
    )
    return relation


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------- CSV


def _stage_csv(con: duckdb.DuckDBPyConnection, f: BundleFile, work_dir: Path) -> StagedFile:
    encoding = detect_encoding(f)
    path = f.path if encoding in ("utf-8", "utf-8-sig") else _transcode(f, encoding, work_dir)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise BundleRefused(f"{f.name}: файл пуст: в первой строке должны быть названия столбцов")
    delimiter = sniff_delimiter(first)
    headers = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    positions, ignored = map_headers(f, headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    source = (
        f"read_csv({_sql_str(str(path))}, auto_detect=false, header=false, skip=1, delim={_sql_str(delimiter)}, "
        f"quote='\"', escape='\"', columns={columns}, strict_mode=true)"
    )
    relation = _view(con, f, source, positions, 1)
    return StagedFile(f, relation, {c: headers[i] for c, i in positions.items()}, encoding, delimiter, ignored)


def detect_encoding(f: BundleFile) -> str:
    """'utf-8-sig' (BOM), 'utf-8', or what charset-normalizer finds (Excel in Russian: cp1251)."""
    if f.content.utf8:  # checked while the file was read for its hash or lines (etl/bundle.py)
        return f.content.utf8
    matches = charset_normalizer.from_path(f.path, cp_isolation=list(CYRILLIC_ENCODINGS))
    best = matches.best()
    if best is None:
        raise BundleRefused(f"{f.name}: не удалось определить кодировку; сохраните файл как CSV UTF-8")
    # Excel in Russian writes cp1251. mac_cyrillic shares its lowercase letters, so in a file with few
    # capitals the detector may prefer it and «Учебный год» loads as «”чебный год»: when cp1251 reads the
    # file with no more mess than the best guess, cp1251 it is.
    if any(m.encoding == "cp1251" and m.percent_chaos <= best.percent_chaos for m in matches):
        return "cp1251"
    return codecs.lookup(best.encoding).name


def _transcode(f: BundleFile, encoding: str, work_dir: Path) -> Path:
    out = work_dir / f"{f.table.name}.utf8.csv"
    try:
        with f.path.open(encoding=encoding, newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
    except UnicodeDecodeError as e:
        raise BundleRefused(f"{f.name}: файл не читается в кодировке {encoding} ({e.reason})") from None
    return out


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most cells (headers never contain it)."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), -DELIMITERS.index(d)))


# ---------------------------------------------------------------- XLSX


def _stage_xlsx(con: duckdb.DuckDBPyConnection, f: BundleFile, work_dir: Path) -> StagedFile:
    import polars as pl  # only for workbooks: importing it costs every load half a second

    try:
        df = pl.read_excel(f.path, sheet_id=1, infer_schema_length=0, raise_if_empty=False)
    except Exception as e:  # fastexcel raises its own error types for corrupt or encrypted workbooks
        raise BundleRefused(f"{f.name}: файл Excel не читается ({type(e).__name__}: {e})") from None
    headers = [("" if h.startswith("__UNNAMED__") else h) for h in df.columns]
    try:
        positions, ignored = map_headers(f, headers)
    except BundleRefused as e:
        raise BundleRefused(f"{e}{_where_the_header_is(f)}") from None
    _refuse_table_on_other_sheets(f)
    # Excel date cells come back as 'YYYY-MM-DD 00:00:00': a date, not a time entered at midnight.
    df = df.rename({old: f"c{i}" for i, old in enumerate(df.columns)}).with_columns(
        pl.col(pl.String).str.strip_suffix(" 00:00:00")
    )
    name = f"xlsx_{f.table.name}"
    con.register(name, df)
    relation = _view(con, f, name, positions, 1)
    return StagedFile(f, relation, {c: headers[i] for c, i in positions.items()}, ignored_headers=ignored, _keep=[df])


HEADER_SEARCH_ROWS = 10  # rows of each sheet searched for a header that is not in row 1 of the first sheet


def _header_places(f: BundleFile) -> tuple[list[str], list[tuple[int, int]]]:
    """The workbook's sheet names, and (sheet index, row) of the first row on each sheet that holds every
    required column of the table: where a school's table really is when row 1 of sheet 1 is not it."""
    import fastexcel

    required = {c.name for c in f.table.columns if c.required}
    lookup = _header_lookup(f)
    book = fastexcel.read_excel(f.path)
    places = []
    for i in range(len(book.sheet_names)):
        try:
            rows = book.load_sheet(i, header_row=None, n_rows=HEADER_SEARCH_ROWS).to_polars().rows()
        except fastexcel.FastExcelError:  # a sheet fastexcel cannot read holds no table to point to
            rows = []
        for r, row in enumerate(rows, start=1):
            if required <= {lookup.get(normalize_header(str(cell or ""))) for cell in row}:
                places.append((i, r))
                break
    return book.sheet_names, places


def _where_the_header_is(f: BundleFile) -> str:
    """For a refusal of sheet 1: a title row above the header (merged «Отметки 5А, сентябрь»), or the table
    on another sheet (an «Инструкция» sheet first). The message named only «строка 1»."""
    sheets, places = _header_places(f)
    first = f"; читается первый лист книги («{sheets[0]}»)" if len(sheets) > 1 else ""
    for sheet, row in places:
        if sheet == 0:
            return (f"{first}; названия столбцов найдены в строке {row}: удалите строки над ними, "
                    "заголовок должен быть в строке 1")
        return f"{first}; таблица найдена на листе «{sheets[sheet]}» (строка {row}): сделайте этот лист первым"
    return first


def _refuse_table_on_other_sheets(f: BundleFile) -> None:
    """Only the first sheet is read; a second sheet with the same table (marks of September and of October)
    was dropped without a word."""
    import fastexcel

    if len(fastexcel.read_excel(f.path).sheet_names) == 1:
        return
    sheets, places = _header_places(f)
    others = [f"«{sheets[sheet]}»" for sheet, _row in places if sheet != 0]
    if others:
        raise BundleRefused(
            f"{f.name}: таблица есть и на листе {', '.join(others)}, а загружается только первый лист "
            f"(«{sheets[0]}»): перенесите все строки на первый лист или удалите лишний лист"
        )


# ---------------------------------------------------------------- Parquet and JSON Lines


def _stage_parquet(con: duckdb.DuckDBPyConnection, f: BundleFile, work_dir: Path) -> StagedFile:
    path = _sql_str(str(f.path))
    try:
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()]
    except duckdb.Error as e:
        raise BundleRefused(f"{f.name}: файл Parquet не читается ({_first_line(e)})") from None
    return _stage_typed(con, f, f"read_parquet({path})", names)


def _stage_jsonl(con: duckdb.DuckDBPyConnection, f: BundleFile, work_dir: Path) -> StagedFile:
    path = _sql_str(str(f.path))
    try:
        names = [
            r[0]
            for r in con.execute(
                f"DESCRIBE SELECT * FROM read_json({path}, format='newline_delimited', sample_size=-1)"
            ).fetchall()
        ]
    except duckdb.Error as e:
        raise BundleRefused(f"{f.name}: файл JSON Lines не читается ({_first_line(e)})") from None
    # Every key read as text: '007' must stay '007', dates stay as written.
    columns = "{" + ", ".join(f"{_sql_str(n)}: 'VARCHAR'" for n in names) + "}"
    return _stage_typed(con, f, f"read_json({path}, format='newline_delimited', columns={columns})", names)


def _stage_typed(con: duckdb.DuckDBPyConnection, f: BundleFile, reader: str, names: list[str]) -> StagedFile:
    positions, ignored = map_headers(f, names)
    renamed = ", ".join(f'CAST("{n.replace(chr(34), chr(34) * 2)}" AS VARCHAR) AS c{i}' for i, n in enumerate(names))
    relation = _view(con, f, f"(SELECT {renamed} FROM {reader})", positions, 0)
    return StagedFile(f, relation, {c: names[i] for c, i in positions.items()}, ignored_headers=ignored)


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0]
