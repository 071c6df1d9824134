"""Homework: text in the usual journal shorthand, due by the next lesson of the course, with a time
estimate that keeps a day within the СанПиН limits of the grade."""

from __future__ import annotations

import numpy as np
import polars as pl

TEMPLATES: dict[str, tuple[str, ...]] = {
    "rus": ("Упр. {a}, с. {p}", "Выучить правило на с. {p}, упр. {a}", "Упр. {a}, {b} (письменно)"),
    "litread": ("Читать с. {p}–{q}, ответить на вопросы", "Выразительное чтение с. {p}"),
    "lit": ("Прочитать главы {c}–{d}", "Выучить наизусть отрывок (с. {p})", "Письменно ответить на вопрос {c} (с. {p})"),
    "eng": ("SB p. {p} ex. {c}, WB p. {q} ex. {d}", "Learn the words p. {p}", "WB p. {q} ex. {c}, {d}"),
    "math": ("№ {a}, {b}", "№ {a}, {b}, повторить п. {c}", "№ {a} (а, б), № {b}"),
    "alg": ("§ {c}, № {a}, {b}", "№ {a}, {b}, {e}", "Повторить § {c}, № {a}"),
    "geom": ("П. {c}, задачи {a}, {b}", "Выучить теорему п. {c}, № {a}"),
    "stat": ("§ {c}, упр. {d}", "Задачи {c}–{d} на с. {p}"),
    "inf": ("§ {c}, вопросы 1–{d}", "Составить программу (задание {d}, с. {p})"),
    "okr": ("С. {p}–{q}, ответить на вопросы", "Рабочая тетрадь с. {q}"),
    "orkse": ("С. {p}–{q}, подготовить рассказ",),
    "hist": ("§ {c}, вопросы 1–{d}", "§ {c}, заполнить таблицу", "§ {c}, даты выучить"),
    "soc": ("§ {c}, задания 1–{d}", "§ {c}, подготовить сообщение"),
    "geo": ("§ {c}, контурная карта", "§ {c}, вопросы {d}"),
    "bio": ("§ {c}, вопросы 1–{d}", "§ {c}, рисунок в тетради"),
    "phys": ("§ {c}, упр. {d}", "§ {c}, задачи {d}, {e}"),
    "chem": ("§ {c}, упр. {d}", "§ {c}, уравнения реакций с. {p}"),
}

# Minutes for one subject's homework, by grade band (СанПиН 1.2.3685-21 table 6.6 limits per day).
MINUTES = {2: (10, 15), 4: (10, 20), 6: (15, 25), 9: (15, 30)}


def texts(rng: np.random.Generator, subject_keys: list[str]) -> list[str]:
    n = len(subject_keys)
    a, b = rng.integers(10, 700, n), rng.integers(10, 700, n)
    c, d, e = rng.integers(1, 40, n), rng.integers(1, 12, n), rng.integers(1, 900, n)
    p = rng.integers(5, 250, n)
    pick = rng.integers(0, 1000, n)
    out = []
    for i, key in enumerate(subject_keys):
        tpl = TEMPLATES[key]
        out.append(tpl[pick[i] % len(tpl)].format(a=a[i], b=b[i] + 1, c=c[i], d=c[i] + d[i], e=e[i], p=p[i],
                                                   q=p[i] + int(d[i])))
    return out


def minutes(rng: np.random.Generator, grades: np.ndarray) -> np.ndarray:
    lo = np.zeros(grades.size, dtype=np.int32)
    hi = np.zeros(grades.size, dtype=np.int32)
    for band, (l, h) in MINUTES.items():
        lo[grades >= band], hi[grades >= band] = l, h
    return (rng.integers(0, 1 << 30, grades.size) % (hi - lo + 1) + lo) // 5 * 5


def build_homework(rng: np.random.Generator, lessons: pl.DataFrame, exempt_keys: list[str]) -> pl.DataFrame:
    """Homework for held lessons of grade ≥ 2 outside the exempt subjects, minus planted missing ones;
    due at the course's next held lesson (a week on for the last one)."""
    held = lessons.filter(pl.col("status") == "held").sort(["course", "seq"]).with_columns(
        pl.col("date").shift(-1).over("course").alias("next_date"))
    hw = held.filter((pl.col("grade") >= 2) & ~pl.col("subject_key").is_in(exempt_keys)
                     & ~pl.col("homework_missing")).sort("lesson")
    return hw.with_columns(
        pl.Series("text", texts(rng, hw["subject_key"].to_list()), dtype=pl.String),
        pl.coalesce("next_date", pl.col("date") + pl.duration(days=7)).alias("due_date"),
        pl.Series("duration_minutes", minutes(rng, hw["grade"].to_numpy())),
    )
