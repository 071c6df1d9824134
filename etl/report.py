"""What a load did, per table, in a form the CLI can print and tests can assert."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Russian names of the warehouse tables and batch states, for every message a person reads.
TABLE_TITLES = {
    "schools": "школы", "academic_years": "учебные годы", "periods": "отчётные периоды",
    "holidays": "каникулы и праздники", "people": "люди", "subjects": "предметы", "groups": "классы и группы",
    "memberships": "составы классов", "curriculum": "учебный план", "plan_lessons": "уроки КТП",
    "work_types": "виды работ", "account_incidents": "инциденты учётных записей", "lessons": "уроки",
    "marks": "отметки", "final_marks": "итоговые отметки", "attendance": "пропуски и опоздания",
    "homework": "домашние задания", "mark_events": "события отметок", "rejected_rows": "отклонённые строки",
}
BATCH_STATUS = {"loaded": "загружена", "unchanged": "без изменений", "refused": "отклонена"}


def table_title(name: str) -> str:
    return TABLE_TITLES.get(name, name)


@dataclass
class TableCounts:
    table: str
    file_name: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0  # marked deleted: vanished from a snapshot
    ignored_columns: tuple[str, ...] = ()  # headers the bundle spec does not know


@dataclass(frozen=True)
class RejectReason:
    table: str
    reason: str
    rows: int
    file: str  # the file to fix: the bundle's, or an import's own file (etl/sql/reject_reasons.sql)


@dataclass
class LoadReport:
    batch_id: int
    status: Literal["loaded", "unchanged"]
    bundle_path: str
    tables: list[TableCounts] = field(default_factory=list)
    top_reject_reasons: list[RejectReason] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    # the warehouse file (and folder) this load created: a misspelt --db starts a new one, so it is said aloud
    new_warehouse: str | None = None

    def table(self, name: str) -> TableCounts:
        return next(t for t in self.tables if t.table == name)

    @property
    def rows_rejected(self) -> int:
        return sum(t.rejected for t in self.tables)

    @property
    def new_warehouse_note(self) -> str | None:
        """The line that says this load started a new warehouse, so a misspelt path does not go unnoticed."""
        if self.new_warehouse is None:
            return None
        return (f"Создано новое хранилище: {self.new_warehouse}. Если путь указан с ошибкой, загрузите данные "
                "в верное хранилище (--db или $ZAVUCH_DB).")

    def summary(self) -> str:
        """Plain-text summary in Russian (the CLI draws the same figures as a rich table)."""
        if self.status == "unchanged":
            return (
                f"Пакет {self.bundle_path} уже загружен (партия № {self.batch_id}): "
                "данные не изменились, хранилище не тронуто."
            )
        lines = [f"Партия № {self.batch_id}: {self.bundle_path}, {self.elapsed_seconds:.1f} с"]
        lines.append(f"{'таблица':<26}{'прочитано':>11}{'новых':>10}{'изменено':>10}{'прежних':>10}{'отклонено':>11}{'удалено':>9}")
        for t in self.tables:
            lines.append(
                f"{table_title(t.table):<26}{t.read:>11}{t.inserted:>10}{t.updated:>10}{t.unchanged:>10}{t.rejected:>11}{t.deleted:>9}"
            )
        for t in self.tables:
            if t.ignored_columns:
                lines.append(f"{t.file_name}: не использованы столбцы {', '.join('«' + c + '»' for c in t.ignored_columns)}")
        if self.top_reject_reasons:
            lines.append("Частые причины отклонения (по файлам):")
            lines += [f"  {r.file} ({table_title(r.table)}): {r.reason} — {r.rows}" for r in self.top_reject_reasons]
        if self.new_warehouse_note:
            lines.append(self.new_warehouse_note)
        return "\n".join(lines)
