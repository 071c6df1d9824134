"""Who may see which rows: an `Access` value, enforced on the connection every query runs on.

The warehouse is read through TEMP views that shadow its tables (DuckDB looks in the temp catalog
first), so every metric, base, deck helper and document query sees only the rows of the user's
schools, classes and (class, subject) pairs, whatever filters the request carries. `guard` then
filters result rows by their school, group, class and subject columns as a second line. For a
pseudonymised access the `people` view replaces students' names by stable per-school pseudonyms
(keyed HMAC of the id), so no name can reach a page, a download or a document.

The CLI is run by the school's administrator and uses `FULL` (no views, the connection as it is).
"""

from __future__ import annotations

import hashlib
import hmac
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

Role = Literal["director", "deputy", "methodologist", "class_teacher", "subject_teacher", "it_admin"]
ROLES: dict[str, str] = {
    "director": "директор",
    "deputy": "заместитель директора",
    "methodologist": "методист",
    "class_teacher": "классный руководитель",
    "subject_teacher": "учитель-предметник",
    "it_admin": "ИТ-администратор",
}
VIEWS_SQL = Path(__file__).with_name("access_views.sql")
PSEUDONYM_PREFIX = "Ученик "
# 48 bits: with 32, two of a region's 80 000 pupils shared a pseudonym more often than not (docs/security.md)
PSEUDONYM_DIGITS = 12
RECORD_CODE_PREFIX = "з-"


class AccessDenied(PermissionError):
    """The account's role has no right to this data (e.g. an IT administrator and student data)."""


@dataclass(frozen=True)
class Access:
    """A user's right to rows. `school_ids` None = every school; `class_ids` restrict a class teacher to
    classes (all subjects, the pupils of those classes only: a subgroup mixing classes shows the others'
    pupils to their own class teacher), `pairs` a subject teacher to (group, subject) pairs, the group
    being a class (with its subgroups) or one subgroup (every pupil they teach there); an empty
    restriction of a teacher role shows nothing."""

    role: Role = "director"
    school_ids: frozenset[str] | None = None
    class_ids: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, str]] = frozenset()
    pseudonymise: bool = False
    min_group_size: int = 0
    key: bytes = field(default=b"", repr=False)  # the installation's pseudonym secret

    @property
    def is_full(self) -> bool:
        return (self.role in ("director", "deputy") and self.school_ids is None and not self.pseudonymise)

    @property
    def sees_student_data(self) -> bool:
        return self.role != "it_admin"

    @property
    def by_units(self) -> bool:
        """Restricted to classes or (class, subject) pairs rather than whole schools."""
        return self.role in ("class_teacher", "subject_teacher")

    def units(self) -> list[tuple[str, str | None]]:
        """(group, subject) rows of the restriction; subject None = every subject of the group."""
        if self.role == "class_teacher":
            return [(c, None) for c in sorted(self.class_ids)]
        if self.role == "subject_teacher":
            return sorted(self.pairs)
        return []


FULL = Access()


def pseudonym(key: bytes, school_id: str, person_id: str) -> str:
    """Stable per school: the same student gets the same pseudonym on every page and in every document."""
    digest = hmac.new(key, f"{school_id}\x1f{person_id}".encode(), hashlib.sha256).hexdigest()
    return f"{PSEUDONYM_PREFIX}{digest[:PSEUDONYM_DIGITS].upper()}"


def record_code(key: bytes, record_id: str) -> str:
    """A pseudonymised access's code for a student's record (a mark, a period mark, an absence): adapters
    build those ids from the student («elschool:mark:<ФИО>:…», «eljur:absence:<student>:…»), so the raw id
    would name the child or their ЭЖ account. Keyed like `pseudonym`: stable, not recomputable."""
    digest = hmac.new(key, f"record\x1f{record_id}".encode(), hashlib.sha256).hexdigest()
    return f"{RECORD_CODE_PREFIX}{digest[:10].upper()}"


# Restricted cursors: cursor -> the access it enforces; (parent, access) -> its cursor.
_enforced: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, Access] = weakref.WeakKeyDictionary()
_cursors: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[Access, duckdb.DuckDBPyConnection]] = \
    weakref.WeakKeyDictionary()


def access_of(con: duckdb.DuckDBPyConnection) -> Access:
    """The access a connection enforces (FULL for a plain connection)."""
    return _enforced.get(con, FULL)


def connection(con: duckdb.DuckDBPyConnection, access: Access = FULL) -> duckdb.DuckDBPyConnection:
    """A connection on which every warehouse table shows only `access`'s rows.

    FULL returns `con` itself. A restricted connection is returned as it is when asked for its own access
    or FULL (a restriction cannot be widened), and refused for any other one.
    """
    if not access.sees_student_data:
        raise AccessDenied("у роли «ИТ-администратор» нет доступа к данным учеников")
    current = _enforced.get(con)
    if current is not None:
        if access in (FULL, current):
            return con
        raise AccessDenied("соединение уже ограничено другими правами доступа")
    if access.is_full:
        return con
    per_access = _cursors.setdefault(con, {})
    cur = per_access.get(access)
    if cur is None:
        cur = _restricted_cursor(con, access)
        per_access[access] = cur
        _enforced[cur] = access
    return cur


def _restricted_cursor(con: duckdb.DuckDBPyConnection, access: Access) -> duckdb.DuckDBPyConnection:
    db = con.execute("SELECT current_database()").fetchall()[0][0]  # fetchall: leaves no open result on con
    cur = con.cursor()
    quoted = '"' + db.replace('"', '""') + '"'
    cur.execute(f"USE {quoted}")
    cur.execute("CREATE TEMP TABLE access_schools (school_id VARCHAR)")
    cur.execute("CREATE TEMP TABLE access_units (group_id VARCHAR, subject_id VARCHAR)")
    cur.execute("CREATE TEMP TABLE access_flags (all_schools BOOLEAN, by_units BOOLEAN, pseudonymise BOOLEAN, "
                "own_pupils BOOLEAN)")
    cur.execute("CREATE TEMP TABLE access_pseudonyms (id VARCHAR, pseudonym VARCHAR)")
    if access.school_ids is not None:
        cur.executemany("INSERT INTO access_schools VALUES (?)", [[s] for s in sorted(access.school_ids)])
    if access.units():
        cur.executemany("INSERT INTO access_units VALUES (?, ?)", [list(u) for u in access.units()])
    cur.execute("INSERT INTO access_flags VALUES (?, ?, ?, ?)",
                [access.school_ids is None, access.by_units, access.pseudonymise, access.role == "class_teacher"])
    if access.pseudonymise:
        students = cur.execute(f"SELECT id, school_id FROM {quoted}.main.people WHERE role = 'student'").fetchall()
        # One statement: executemany inserted row by row (0.1 s for one school, seconds for a region).
        cur.execute("INSERT INTO access_pseudonyms SELECT unnest($ids), unnest($names)",
                    {"ids": [pid for pid, _ in students],
                     "names": [pseudonym(access.key, sid, pid) for pid, sid in students]})
    # The catalog name comes from DuckDB itself (current_database()), never from a request.
    cur.execute(VIEWS_SQL.read_text(encoding="utf-8").replace("{db}", quoted))
    return cur


def _allowed(cur: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [r[0] for r in cur.execute(sql).fetchall()]


# Per-group figures about students: a result row carrying any of these (and no `student_id`: a row about one
# student is pseudonymised, and suppressed only in a small class) is a breakdown, suppressed for a
# pseudonymised access when its group has fewer than `min_group_size` students (norms [access]).
STUDENT_FIGURES = frozenset({
    "students", "students_present", "students_marked", "students_expected", "students_unmarked", "ill",
    "ill_share", "student_lessons", "absences", "absent_illness", "absent_excused", "absent_unexcused",
    "attendance_rate", "illness_share", "excused_share", "unexcused_share", "marked_share", "n", "n5", "n4", "n3", "n2", "success_pct", "quality_pct", "sou_pct",
})
# Free text typed by teachers, which may name a student: masked for a pseudonymised access. A lesson's topic
# is such text («Контрольная работа (Иванов пересдаёт)»); the plan's topic (`plan_topic`, the КТП written for
# the whole class before the year and published with the work programme) is not, and stays.
FREE_TEXT = ("comment", "attendance_comment", "text", "topic")
FREE_TEXT_MASK = "(скрыто)"
# Ids of a student's records, which adapters build from the student: coded for a pseudonymised access.
RECORD_IDS = ("mark_id", "final_mark_id", "entry_id", "membership_id")


def guard(df: pl.DataFrame, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Drop every result row whose school, group, class or (group, subject) lies outside the access of
    `con` (a second line behind the views); when pseudonymised, also drop breakdown rows of small groups
    (`small_groups_kept`), mask free-text columns, which may name students, and code the ids of students'
    records (`record_code`)."""
    access = access_of(con)
    if access.is_full or df.is_empty():
        return df
    keep = pl.lit(True)
    if access.school_ids is not None and "school_id" in df.columns:
        keep &= pl.col("school_id").is_in(sorted(access.school_ids)) | pl.col("school_id").is_null()
    if access.by_units:
        groups = _allowed(con, "SELECT id FROM groups")
        for col in ("group_id", "class_id"):
            if col in df.columns:
                keep &= pl.col(col).is_in(groups) | pl.col(col).is_null()
        if access.role == "subject_teacher" and "subject_id" in df.columns:
            pairs = _allowed(con, "SELECT group_id || chr(31) || subject_id FROM access_group_subjects")
            col = "group_id" if "group_id" in df.columns else "class_id" if "class_id" in df.columns else None
            if col is not None:
                keep &= (pl.col(col) + chr(31) + pl.col("subject_id")).is_in(pairs) | pl.col(col).is_null()
            else:
                subjects = sorted({s for _, s in access.pairs})
                keep &= pl.col("subject_id").is_in(subjects) | pl.col("subject_id").is_null()
    out = df.filter(keep)
    if access.pseudonymise:
        if access.min_group_size > 0:
            out = small_previous_cleared(small_groups_kept(out, con, access.min_group_size), access.min_group_size)
        masked = [c for c in FREE_TEXT if c in out.columns and out.schema[c] == pl.String]
        out = out.with_columns(
            pl.when(pl.col(c).str.strip_chars() != "").then(pl.lit(FREE_TEXT_MASK)).otherwise(pl.col(c)).alias(c)
            for c in masked)
        coded = [c for c in RECORD_IDS if c in out.columns]
        out = out.with_columns(
            pl.col(c).cast(pl.String).map_elements(lambda v: record_code(access.key, v), return_dtype=pl.String)
            for c in coded)
    return out


def small_groups_kept(df: pl.DataFrame, con: duckdb.DuckDBPyConnection, min_size: int) -> pl.DataFrame:
    """The one small-group rule. A row about one student stays (pseudonymised) unless their class is small
    (`_pupils_of_big_classes`). A breakdown row's group size is its explicit head count (`students`:
    results by dimension carry it too, as their N counts marks, several per student), else the number of
    students of its group (`group_id`, else `class_id`) on `con`. Rows about the whole scope (no group)
    are kept. Rows of fewer than `min_size` students go, and with them, in the same breakdown
    (`_complement`), enough further rows that the total shown next to them cannot give the small
    group's figures back by subtraction."""
    if "student_id" in df.columns:
        return _pupils_of_big_classes(df, con, min_size)
    if not STUDENT_FIGURES & set(df.columns):
        return df
    group = next((c for c in ("group_id", "class_id", "key") if c in df.columns), None)
    if "students" in df.columns:
        size = pl.col("students")
    elif group is not None and group != "key":
        sizes = con.sql("SELECT group_id, size FROM access_group_sizes").pl()
        size = pl.col(group).replace_strict(sizes["group_id"], sizes["size"], default=0)
        size = pl.when(pl.col(group).is_null()).then(None).otherwise(size)
    else:
        return df
    sized = df.with_row_index("_row").with_columns(size.alias("_size"))
    gone = set(sized.filter(pl.col("_size") < min_size)["_row"])
    if gone and group is not None:
        if _by_class_or_subject(df, group):  # a subject's, week's or month's row is its own unit (attendance_summary)
            cols = tuple(c for c in ("class_id", "subject_id", "week_start", "month_start") if c in df.columns)
            units = sized.with_columns(pl.coalesce(*(pl.col(c).cast(pl.String) for c in cols)).alias("_unit"))
            gone |= _complement(units, gone, "_unit", con, min_size, cols)
        else:
            gone |= _complement(sized, gone, group, con, min_size)
    return sized.filter(~pl.col("_row").is_in(sorted(gone))).drop("_row", "_size")


def _by_class_or_subject(df: pl.DataFrame, group: str) -> bool:
    """Whether a breakdown has rows per class and rows per subject (grouping sets: no row has both; and so
    per week and per month), so that a subject's row is a group of its own — English of a subgroup of two is
    those two children — and so is a week's or a month's (its head count: who sat its lessons)."""
    return (group == "class_id" and "subject_id" in df.columns and "students" in df.columns
            and df.filter(pl.col("class_id").is_not_null() & pl.col("subject_id").is_not_null()).is_empty())


def small_previous_cleared(df: pl.DataFrame, min_size: int) -> pl.DataFrame:
    """A row's figures of the previous period (`prev_*`) and its changes (`*_change`) stand on that period's
    pupils (`prev_students`): a class, teacher or school of two pupils last semester, whose own scope is
    refused, was read through this semester's row. They are emptied when that head count is small (the
    count stays: the справка says why there is no comparison)."""
    if "prev_students" not in df.columns:
        return df
    small = pl.col("prev_students") < min_size
    return df.with_columns(pl.when(small).then(None).otherwise(pl.col(c)).alias(c)
                           for c in df.columns if c != "prev_students" and (c.startswith("prev_") or c.endswith("_change")))


def _pupils_of_big_classes(df: pl.DataFrame, con: duckdb.DuckDBPyConnection, min_size: int) -> pl.DataFrame:
    """Rows about one student are pseudonymised, but a pseudonym hides no one who is alone, or one of two,
    in their class (a village school's 11Б): such rows go when the class (`class_id`, else `group_id`) has
    fewer than `min_size` students."""
    group = next((c for c in ("class_id", "group_id") if c in df.columns), None)
    if group is None:
        return df
    sizes = con.sql("SELECT group_id, size FROM access_group_sizes").pl()
    size = pl.col(group).replace_strict(sizes["group_id"], sizes["size"], default=0)
    return df.filter(pl.col(group).is_null() | (size >= min_size))


def _complement(sized: pl.DataFrame, gone: set[int], group: str, con: duckdb.DuckDBPyConnection,
                min_size: int, units: tuple[str, ...] = ()) -> set[int]:
    """Secondary suppression: a breakdown's rows (those sharing every text, date and flag column but the
    group's — one dimension of results, one day of classes) add up to the total the same page shows (the
    school's attendance, a level's results). When the rows suppressed there hold fewer than `min_size`
    students together, the total minus the rows shown is their figures; so the smallest further rows go
    too, of the same grade first (the parallel's and the level's totals cannot isolate them either),
    until the suppressed rows hold at least `min_size` students."""
    figures = STUDENT_FIGURES | {"students"}
    parts = [c for c, t in sized.schema.items()  # a group's name (class_name) is the group, not a breakdown
             if c not in figures and c not in (group, "_row", "_size", *units) and c not in ("school_id", "class_id")
             and not c.endswith("_name") and (t == pl.String or t == pl.Date or t == pl.Boolean)]
    grades = con.sql("SELECT id AS _gid, grade AS _grade FROM groups").pl()
    rows = sized.join(grades, left_on=group, right_on="_gid", how="left").with_columns(
        pl.col("_row").is_in(sorted(gone)).alias("_gone"),
        (pl.struct(parts).hash() if parts else pl.lit(0, dtype=pl.UInt64)).alias("_part"))
    short = rows.filter(pl.col("_gone")).group_by("_part").agg(pl.col("_size").sum()) \
        .filter(pl.col("_size") < min_size)
    more: set[int] = set()
    for key in short["_part"]:
        part = rows.filter(pl.col("_part") == key)
        hidden = part.filter(pl.col("_gone"))
        total = hidden["_size"].sum()
        small_grades = set(hidden["_grade"].drop_nulls())
        candidates = part.filter(~pl.col("_gone") & pl.col("_size").is_not_null() & pl.col(group).is_not_null()) \
            .with_columns((~pl.col("_grade").is_in(sorted(small_grades))).fill_null(True).alias("_other")) \
            .sort(["_other", "_size", "_row"])
        for row, n in zip(candidates["_row"], candidates["_size"], strict=True):
            if total >= min_size:
                break
            more.add(row)
            total += n
    return more
