"""Shared by the adapter round trips (tests/test_adapters_*.py): the demo bundle's rows, a few-class
subset of it for the student-view systems, source-style ids with the way back, and the metrics of two
loads side by side."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl.adapters import ImportOptions, adapter, import_extract
from etl.loader import load_bundle
from etl.warehouse import connect_readonly
from queries import Scope, run

SCOPE = Scope(date_from=dt.date(2025, 9, 1), date_to=dt.date(2026, 5, 31), as_of=dt.date(2026, 5, 31))


@dataclass
class Ids:
    """Source-system integer ids for canonical ids, and the way back from the adapter's prefixed ids.

    `base` is added to every id (Дневник.ру ids are 64-bit); the adapter's id is
    '<system>:<kind>:<n>', or '<system>:<n>' when the kind is ''.
    """

    system: str
    base: int = 0
    back: dict[str, str] = field(default_factory=dict)
    _n: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def __call__(self, kind: str, canonical: str | None, adapter_kind: str | None = None) -> int | None:
        if canonical is None:
            return None
        table = self._n[kind]
        if canonical not in table:
            table[canonical] = self.base + 1_000_000 * (list(self._n).index(kind) + 1) + len(table) + 1
            name = kind if adapter_kind is None else adapter_kind
            self.back[":".join([self.system, *([name] if name else []), str(table[canonical])])] = canonical
        return table[canonical]


def bundle_rows(bundle: Path, table: str) -> list[dict[str, Any]]:
    """A bundle table as dicts of strings (None for empty cells)."""
    return pl.read_csv(bundle / f"{table}.csv", infer_schema=False).to_dicts()


def metrics(db: Path, names: Iterable[str], back: dict[str, str] | None = None,
            adjust: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] | None = None) -> dict[str, pl.DataFrame]:
    """Each metric over SCOPE, `adjust`ed, ids mapped `back` to the canonical ones, rows in a fixed order."""
    con = connect_readonly(db)
    try:
        out = {n: run(con, n, SCOPE) for n in names}
    finally:
        con.close()
    for name, df in out.items():
        if adjust and name in adjust:
            df = adjust[name](df)
        if back is not None:
            df = df.with_columns(
                [pl.col(c).replace(back) for c, t in df.schema.items() if t == pl.String]
                + [pl.col(c).list.eval(pl.element().replace(back)) for c, t in df.schema.items() if t == pl.List(pl.String)])
        out[name] = df.sort(df.columns, nulls_last=True)
    return out


def differing(canonical: dict[str, pl.DataFrame], imported: dict[str, pl.DataFrame]) -> list[str]:
    """Names of the metrics whose rows differ between the two loads."""
    return [name for name, expected in canonical.items() if not imported[name].equals(expected)]


def class_subset(bundle: Path, out: Path, class_names: Iterable[str]) -> Path:
    """A smaller bundle: the named classes with their subgroups, pupils, lessons, entries and the teachers
    they name; school, year, calendar and dictionaries kept whole, account incidents left out. Student-view systems are exported one
    pupil at a time, so their round trips run on a few classes, not the whole school."""
    out.mkdir(parents=True, exist_ok=True)
    names = set(class_names)
    rows = {t.stem: bundle_rows(bundle, t.stem) for t in bundle.glob("*.csv") if t.stem != "ground_truth"}
    classes = {g["id"] for g in rows["groups"] if g["kind"] == "class" and g["name"] in names}
    if len(classes) != len(names):
        raise ValueError(f"no such classes in the demo bundle: {sorted(names)}")
    groups = classes | {g["id"] for g in rows["groups"] if g["parent_group_id"] in classes}
    students = {m["student_id"] for m in rows["memberships"] if m["group_id"] in groups}
    lessons = {ls["id"] for ls in rows["lessons"] if ls["group_id"] in groups}
    keep = {
        "groups": lambda r: r["id"] in groups,
        "memberships": lambda r: r["group_id"] in groups,
        "curriculum": lambda r: r["group_id"] in groups,
        "plan_lessons": lambda r: r["group_id"] in groups,
        "lessons": lambda r: r["id"] in lessons,
        "marks": lambda r: r["lesson_id"] in lessons and r["student_id"] in students,
        "attendance": lambda r: r["lesson_id"] in lessons and r["student_id"] in students,
        "homework": lambda r: r["lesson_id"] in lessons,
        "final_marks": lambda r: r["group_id"] in groups and r["student_id"] in students,
        "holidays": lambda r: r["group_id"] is None or r["group_id"] in groups,
    }
    kept = {t: [r for r in rs if keep[t](r)] if t in keep else rs for t, rs in rows.items()}
    teachers = {v for t in ("groups", "curriculum", "lessons", "marks", "attendance", "homework", "final_marks")
                for r in kept[t] for c in ("homeroom_teacher_id", "teacher_id", "planned_teacher_id", "actual_teacher_id",
                                           "entered_by", "recorded_by") if (v := r.get(c))}
    kept["people"] = [p for p in rows["people"] if p["id"] in students or p["id"] in teachers]
    # The school's register of compromised accounts is not journal data and invalidates entries by who made
    # them (entered_by), which the student-view systems do not show: both loads go without it.
    kept["account_incidents"] = []
    for table, table_rows in kept.items():
        columns = pl.read_csv(bundle / f"{table}.csv", n_rows=0).columns
        pl.DataFrame(table_rows, schema={c: pl.String for c in columns}).write_csv(out / f"{table}.csv", null_value="")
    (out / "manifest.toml").write_bytes((bundle / "manifest.toml").read_bytes())
    return out


# Three classes of three grade bands' periods (semesters 2–9, half-years 10–11) with English and informatics
# subgroups, no pupil who changed class, and planted findings: marks entered before the lesson (8Б, 11Б),
# chronic absence and н/а risk, missing topics, marks on absences without a comment (6Б).
SUBSET_CLASSES = ("6Б", "8Б", "11Б")


def subset_school(bundle: Path, folder: Path, classes: Iterable[str] = SUBSET_CLASSES) -> tuple[Path, Path]:
    """The bundle of `classes` and its canonical load (warehouse file)."""
    sub = class_subset(bundle, folder / "bundle", classes)
    db = folder / "canonical.duckdb"
    report = load_bundle(sub, db)
    if report.status != "loaded" or report.top_reject_reasons:
        raise AssertionError(f"the class subset did not load cleanly: {report.status} {report.top_reject_reasons}")
    return sub, db


def register_incidents(bundle: Path, db: Path, system: str, back: dict[str, str], folder: Path) -> int:
    """Enter the demo's register of compromised accounts (regulation 4.3–4.4) into an imported warehouse,
    as a school does for the accounts of its journal system: a delta bundle of that system holding only
    account_incidents, the person ids being the imported ones. Journal systems do not export the register,
    so without it the canonical load (which has it) would invalidate entries the import keeps. Returns
    how many incidents were entered."""
    person = {canonical: own for own, canonical in back.items() if own.startswith(f"{system}:person:")}
    incidents = bundle_rows(bundle, "account_incidents")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(f'source_system = "{system}"\nmode = "delta"\n', encoding="utf-8")
    pl.DataFrame([{"id": f"{system}:incident:{i['id']}", "person_id": person[i["person_id"]],
                   "reported_at": i["reported_at"], "description": i["description"]} for i in incidents],
                 schema={c: pl.String for c in ("id", "person_id", "reported_at", "description")}
                 ).write_csv(folder / "account_incidents.csv")
    report = load_bundle(folder, db)
    if report.status != "loaded" or report.top_reject_reasons:
        raise AssertionError(f"the account incidents did not load: {report.status} {report.top_reject_reasons}")
    return len(incidents)


def import_with_incidents(system: str, source: Path, bundle: Path, db: Path, back: dict[str, str]) -> int:
    """Import an exported school through the system's adapter into `db`, refusing any reject, then enter
    the demo's account incidents (register_incidents). Returns how many incidents were entered."""
    report = import_extract(adapter(system).read(source, ImportOptions()), db).report
    if report.status != "loaded" or report.top_reject_reasons:
        raise AssertionError(f"the {system} import did not load cleanly: {report.status} {report.top_reject_reasons}")
    return register_incidents(bundle, db, system, back, db.parent / f"{system}-incidents")
