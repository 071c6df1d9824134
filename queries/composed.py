"""Frames the deck composes from several metrics, each under a name, so that `zavuch metrics NAME` prints the
frame a page shows: the Обзор's key figures (a pooled «Записи внесены в срок» that no single metric gives),
the Учителя page's scorecard and «Все проверки периода»."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from queries.deck import key_figures
from queries.scope import Scope
from queries.scorecard import period_summary, teacher_scorecard


@dataclass(frozen=True)
class ComposedInfo:
    name: str
    title: str  # Russian, as the page heads it
    page: str  # the deck's page that shows it
    clause: str  # the regulation's clauses its metrics serve
    description: str
    compute: Callable[[duckdb.DuckDBPyConnection, Scope, dict[str, Any]], pl.DataFrame]

    @property
    def basis(self) -> str:
        return f"п. {self.clause}"


COMPOSED: dict[str, ComposedInfo] = {c.name: c for c in (
    ComposedInfo("overview", "Ключевые показатели", "Обзор", "2.5–2.8, 2.13, 2.15",
                 "Страница «Обзор»: показатель, его значение, значение за прошлый период, изменение и "
                 "светофор.", key_figures),
    ComposedInfo("teacher_scorecard", "Карты учителей", "Учителя", "2.5–2.11, 4.4",
                 "Страница «Учителя»: строка на учителя — нагрузка, доли записей в срок по видам и число нарушений каждого вида.",
                 teacher_scorecard),
    ComposedInfo("period_summary", "Все проверки периода", "Обзор", "2.5–2.15, 4.4",
                 "Страница «Обзор»: строка на проверку — её название, основание и число найденных случаев.", period_summary),
)}
