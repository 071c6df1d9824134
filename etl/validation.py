"""Type and check a staged file in one SQL pass: `checked_<table>` holds typed columns and `_errors`
(NULL for a clean row, else the list of {column, value, reason}).

The pass is generated from the bundle spec (types, required, choices, references, unique id) plus the
table's own row rules in etl/sql/checks/<table>.sql. A row with errors is not loaded; each error
becomes one line of rejected_rows with the file's own column header, so a school can find the cell.
References resolve against the warehouse tables, which already hold this batch's earlier tables
(LOAD_ORDER), so an incremental bundle may omit tables it does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from etl.bundle_spec import Column, Table
from etl.norms import NormsError
from etl.readers import StagedFile

CHECKS_DIR = Path(__file__).with_name("sql") / "checks"

TYPE_REASONS = {
    "int": "не целое число",
    "decimal": "не число",
    "date": "не дата (ожидается ДД.ММ.ГГГГ, ДД.ММ.ГГ или ГГГГ-ММ-ДД)",
    "timestamp": "не дата и время (ожидается ДД.ММ.ГГГГ ЧЧ:ММ[:СС] или ГГГГ-ММ-ДД ЧЧ:ММ[:СС])",
    "bool": "не «да»/«нет»",
}
# A cell written in an accepted form that is still no date: «31.02.2025», «25:61». «Не дата (ожидается
# ДД.ММ.ГГГГ …)» sent the admin looking for a format error in a cell whose format is right. {years} is
# the plausible range of the norms (Plausibility), as the macros that refused the cell read it.
NO_SUCH_MOMENT = {
    "date": "нет такой даты: проверьте день и месяц (год — {years})",
    "timestamp": "нет такой даты или времени: проверьте день и месяц, часы (0–23) и минуты (0–59); год — {years}",
}
YEARS_SQL = "'от ' || getvariable('zv_min_year') || ' до ' || getvariable('zv_max_year')"
MISSING = "не заполнено обязательное поле"
# How a dangling reference reads: «урок L123 не найден».
REFERENCE_NOUNS = {
    "schools": "школа {} не найдена",
    "academic_years": "учебный год {} не найден",
    "periods": "период {} не найден",
    "people": "человек {} не найден",
    "subjects": "предмет {} не найден",
    "groups": "класс (группа) {} не найден",
    "plan_lessons": "урок КТП {} не найден",
    "work_types": "вид работы {} не найден",
    "lessons": "урок {} не найден",
}
PERSON_NOUNS = {
    "student_id": "ученик {} не найден",
    "teacher_id": "учитель {} не найден",
    "planned_teacher_id": "учитель {} не найден",
    "actual_teacher_id": "учитель {} не найден",
    "homeroom_teacher_id": "учитель {} не найден",
}
# A blank cell here is data, not a gap: an empty mark cell is a placeholder (etl/sql/parse_mark.sql).
BLANK_IS_VALUE = {("marks", "value"), ("final_marks", "value")}


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


@dataclass(frozen=True)
class Plausibility:
    """The norms' [plausibility] section, read once per load: the years a date may have (etl/sql/macros.sql
    reads them as variables, the rejected cell's reason names them) and the longest believable entry lag."""

    min_year: int
    max_year: int
    max_entry_lag_days: int

    @classmethod
    def from_norms(cls, norms: dict[str, Any]) -> Plausibility:
        """Refuse (NormsError) a school's file whose years are not whole numbers in order."""
        section = norms["plausibility"]
        values = {k: section[k] for k in ("min_year", "max_year", "max_entry_lag_days")}
        for key, value in values.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise NormsError(f"файл норм: plausibility.{key} = {value!r} — нужно целое число не меньше 0 "
                                 "(docs/norms.md)")
        if values["min_year"] >= values["max_year"]:
            raise NormsError(f"файл норм: plausibility.min_year ({values['min_year']}) должен быть меньше "
                             f"plausibility.max_year ({values['max_year']}) (docs/norms.md)")
        return cls(**values)

    def set_variables(self, con: duckdb.DuckDBPyConnection) -> None:
        """The variables zv_plausible() and the reasons of NO_SUCH_MOMENT read."""
        con.execute(f"SET VARIABLE zv_min_year = {self.min_year}")
        con.execute(f"SET VARIABLE zv_max_year = {self.max_year}")


def assume_unique_ids(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """An empty dup_<table>: the first load of a clean CSV file checks repeated ids after its insert."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE dup_{table} (id VARCHAR, first_line BIGINT)")


def declares_key(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the warehouse table declares a PRIMARY KEY or UNIQUE constraint (the reference tables):
    DuckDB refuses a repeated id there mid-insert, and the transaction is lost with it."""
    return bool(
        con.execute(
            "SELECT 1 FROM duckdb_constraints() WHERE table_name = $t AND database_name = current_database() "
            "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') LIMIT 1",
            {"t": table},
        ).fetchall()
    )


def may_repeat_ids(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether two rows of the warehouse table may share an id: grouped by a 64-bit hash of the id,
    which is cheaper than grouping the strings; a (rare) collision only sends the file down the
    exact path of count_ids."""
    return bool(
        con.execute(f"SELECT 1 FROM {table} GROUP BY hash(id) HAVING count(*) > 1 LIMIT 1").fetchall()
    )


def count_ids(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> int:
    """Create dup_<table> (id, first_line) of the ids that repeat in the file; return the rows read.

    A narrow aggregate over the unnumbered rows (parallel); lines are numbered only for repeated ids.
    """
    table = staged.file.table.name
    key = "NULLIF(trim(id), '')"
    counts = con.execute(
        f"SELECT {key} AS id, count(*) AS n, grouping({key}) = 1 AS is_total FROM {staged.relation}_unnumbered "
        f"GROUP BY GROUPING SETS (({key}), ()) HAVING count(*) > 1 OR grouping({key}) = 1"
    ).fetchall()
    total = next(n for _, n, is_total in counts if is_total)
    repeated = [i for i, _, is_total in counts if not is_total and i is not None]
    assume_unique_ids(con, table)
    if repeated:
        con.execute(f"CREATE OR REPLACE TEMP TABLE dup_ids_{table} AS SELECT unnest($ids) AS id", {"ids": repeated})
        con.execute(
            f"INSERT INTO dup_{table} SELECT {key}, min(_line) FROM {staged.relation} "
            f"WHERE {key} IN (SELECT id FROM dup_ids_{table}) GROUP BY ALL"
        )
    return int(total)


def check_file(
    con: duckdb.DuckDBPyConnection,
    staged: StagedFile,
    types: dict[str, str],
    *,
    materialize: bool = True,
    joined: frozenset[str] = frozenset(),
) -> str:
    """Create checked_<table> from the staged relation; `types` maps target column -> DuckDB type.

    Needs dup_<table> (count_ids). materialize=False makes checked_<table> a view and adds the view
    checked_<table>_unnumbered over the unnumbered rows, where every row of a repeated id counts as
    an error (which occurrence came first is known only with line numbers). A table loaded for the
    first time inserts the clean rows from that view in parallel; the numbered view is read only when
    rows are missing, to report them and to insert the first occurrence of a repeated id.
    `joined` names reference columns that the insert's shape inner-joins to their table anyway: the
    unnumbered view does not look them up twice (a dangling one drops the row, the count then differs
    and the numbered view reports it).
    """
    name = f"checked_{staged.file.table.name}"
    con.execute(f"CREATE OR REPLACE {'TEMP TABLE' if materialize else 'TEMP VIEW'} {name} AS {_checked_sql(staged, types, True)}")
    if not materialize:
        unnumbered = _checked_sql(staged, types, False, joined)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name}_unnumbered AS {unnumbered}")
    return name


def _checked_sql(
    staged: StagedFile, types: dict[str, str], numbered: bool, joined: frozenset[str] = frozenset()
) -> str:
    table = staged.file.table
    source = staged.relation if numbered else f"{staged.relation}_unnumbered"
    inner = ", ".join(
        ["s._line", "d.first_line AS _first_line"] + [f"NULLIF(trim(s.{c.name}), '') AS r_{c.name}" for c in table.columns]
    )
    typed = ", ".join(_typed(table, c, types) for c in table.columns)
    precision = "".join(
        f", CASE WHEN {c.name} IS NOT NULL THEN zv_precision(r_{c.name}) END AS {c.name}_precision"
        for c in table.columns
        if c.type == "timestamp"
    )
    # Each reference is looked up once, as a column, and read by both the condition and the listing.
    known = "".join(
        f", r_{c.name} IN ({_reference_ids(table, c, staged.relation)}) AS _known_{c.name}"
        for c in table.columns
        if c.references and c.name not in joined
    )
    errors = [e for c in table.columns for e in _column_errors(table, c, c.name not in joined)]
    errors.append(
        _error(
            "id",
            "r_id IS NOT NULL AND _line > _first_line" if numbered else "_first_line IS NOT NULL",
            "'ид ' || r_id || ' повторяется: уже был в строке ' || _first_line",
        )
    )
    extra = CHECKS_DIR / f"{table.name}.sql"
    if extra.exists():
        rules = extra.read_text(encoding="utf-8")
        errors.append((f"coalesce({rules}\n) IS NOT NULL", rules))  # some rule yields an error
    # The list of error structs is built only for rows where some condition holds: most rows are clean.
    any_error = " OR ".join(f"({cond})" for cond, _ in errors)
    listing = f"list_filter([{', '.join(expr for _, expr in errors)}], lambda e: e IS NOT NULL)"
    names = [c.name for c in table.columns] + [f"{c.name}_precision" for c in table.columns if c.type == "timestamp"]
    raw = ", ".join(f"r_{c.name}" for c in table.columns)
    return (
        f"SELECT _line, r_id, {', '.join(names)}, "
        f"CASE WHEN {any_error} THEN {listing} END AS _errors "
        f"FROM (SELECT _line, _first_line, {raw}, {typed}{precision}{known} FROM "
        f"(SELECT {inner} FROM {source} s LEFT JOIN dup_{table.name} d ON d.id = NULLIF(trim(s.id), '')))"
    )


def _typed(table: Table, c: Column, types: dict[str, str]) -> str:
    r = f"r_{c.name}"
    if (table.name, c.name) in BLANK_IS_VALUE:
        return f"coalesce({r}, '') AS {c.name}"
    expr = {
        "text": f"lower({r})" if c.choices else r,
        "int": f"TRY_CAST({r} AS {types.get(c.name, 'INTEGER')})",
        "decimal": f"TRY_CAST(zv_number_text({r}) AS {types.get(c.name, 'DOUBLE')})",
        "date": f"zv_date({r})",
        "timestamp": f"zv_timestamp({r})",
        "bool": f"zv_bool({r})",
    }[c.type]
    return f"{expr} AS {c.name}"


def _error(column: str, condition: str, reason_sql: str) -> tuple[str, str]:
    """(condition, expression yielding {column, value, reason} when it holds, else NULL)."""
    return condition, (
        f"CASE WHEN {condition} THEN {{'column': {sql_str(column)}, 'value': r_{column}, "
        f"'reason': {reason_sql}}} END"
    )


def _column_errors(table: Table, c: Column, look_up: bool = True) -> list[tuple[str, str]]:
    r = f"r_{c.name}"
    out = []
    if c.required and (table.name, c.name) not in BLANK_IS_VALUE:
        out.append(_error(c.name, f"{r} IS NULL", sql_str(MISSING)))
    if c.type in NO_SUCH_MOMENT:
        before, after = NO_SUCH_MOMENT[c.type].split("{years}")
        no_such = f"{sql_str(before)} || {YEARS_SQL} || {sql_str(after)}"
        reason = f"CASE WHEN zv_moment_shaped({r}) THEN {no_such} ELSE {sql_str(TYPE_REASONS[c.type])} END"
        out.append(_error(c.name, f"{r} IS NOT NULL AND {c.name} IS NULL", reason))
    elif c.type != "text":
        out.append(_error(c.name, f"{r} IS NOT NULL AND {c.name} IS NULL", sql_str(TYPE_REASONS[c.type])))
    if c.choices:
        allowed = ", ".join(sql_str(v) for v in c.choices)
        value = c.name if c.type == "text" else f"CAST({c.name} AS VARCHAR)"
        out.append(
            _error(c.name, f"{value} NOT IN ({allowed})", sql_str(f"недопустимое значение; допустимо: {', '.join(c.choices)}"))
        )
    if c.references and look_up:
        template = PERSON_NOUNS.get(c.name) if c.references == "people" else None
        template = template or REFERENCE_NOUNS[c.references]
        before, after = template.split("{}")
        out.append(_error(c.name, f"{r} IS NOT NULL AND NOT _known_{c.name}", f"{sql_str(before)} || {r} || {sql_str(after)}"))
    return out


def _reference_ids(table: Table, c: Column, staged_relation: str) -> str:
    ids = f"SELECT id FROM {c.references}"
    if c.references == table.name:  # a subgroup names its class in the same file
        ids += f" UNION ALL SELECT trim(id) FROM {staged_relation} WHERE NULLIF(trim(id), '') IS NOT NULL"
    return ids


def write_rejects(con: duckdb.DuckDBPyConnection, staged: StagedFile, batch_id: int) -> int:
    """One rejected_rows line per error, with the column as headed in the file; returns the rows rejected."""
    table = staged.file.table
    header = " ".join(
        f"WHEN {sql_str(c)} THEN {sql_str(h)}" for c, h in staged.headers.items()
    )
    header_sql = f"CASE e.column {header} ELSE e.column END" if header else "e.column"
    con.execute(
        f"INSERT INTO rejected_rows (batch_id, table_name, file_name, line, column_name, value, reason) "
        f"SELECT $batch_id, $table, $file, _line, {header_sql}, e.value, e.reason "
        f"FROM (SELECT _line, unnest(_errors) AS e FROM checked_{table.name} WHERE _errors IS NOT NULL) "
        f"ORDER BY _line",
        {"batch_id": batch_id, "table": table.name, "file": staged.file.name},
    )
    return con.execute(
        "SELECT count(DISTINCT line) FROM rejected_rows WHERE batch_id = $b AND table_name = $t",
        {"b": batch_id, "t": table.name},
    ).fetchone()[0]
