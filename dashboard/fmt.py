"""Presentation only: Russian number and date formats, Russian column labels, names instead of ids.

Nothing here computes a figure; it turns the frames of `queries` into what a deputy reads.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl

from etl.report import BATCH_STATUS, TABLE_TITLES
from etl.rounding import half_up, half_up_column
from etl.russian import PERCENTAGE_POINTS
from etl.russian import plural as plural  # fmt.plural: the deck's pages call it
from queries.deck import Lookups
from queries.registry import FAMILIES

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
NBSP = "\u00a0"
NO_VALUE = "—"  # an empty table cell (st.dataframe would print the English «None»)

# Russian headers for the columns the metric frames carry.
LABELS: dict[str, str] = {
    "teacher_id": "Учитель", "student_id": "Ученик", "class_id": "Класс", "group_id": "Группа",
    "subject_id": "Предмет", "subject_name": "Предмет", "school_id": "Школа", "school_name": "Школа", "period_id": "Период",
    "lesson_id": "Урок (код)", "mark_id": "Отметка (код)", "homework_id": "ДЗ (код)", "entry_id": "Запись (код)",
    "text": "Текст", "entered_at_precision": "Точность времени",
    "final_mark_id": "Отметка за период (код)", "event_date": "Дата", "lesson_number": "№ урока",
    "topic": "Тема", "plan_topic": "Тема по КТП", "plan_number": "№ по КТП", "reason": "Причина",
    "value_raw": "Отметка", "work_type_name": "Вид работы", "is_control": "Контрольная",
    "entered_by": "Кто внёс", "entered_at": "Когда внесено", "deadline_days": "Срок, дн.",
    "lag_basis": "Основа задержки", "lag_precision": "Точность", "lag_days": "Задержка, дн.",
    "lag_days_min": "Задержка не меньше, дн.", "lag_days_max": "Задержка не больше, дн.",
    "school_days_min": "Учебных дней не меньше", "school_days_max": "Учебных дней не больше",
    "timeliness": "Своевременность", "item": "Вид записи", "entries": "Записей", "timed": "С временем внесения",
    "untimed": "Без времени внесения", "bounded_only": "Только по загрузке", "on_lesson_day": "В день урока",
    "within_day": "В течение суток", "within_deadline": "В срок", "share_on_lesson_day": "Доля в день урока",
    "share_within_day": "Доля в течение суток", "share_within_deadline": "Доля в срок",
    "marks": "Отметок", "lessons": "Уроков", "oldest_lesson_date": "Самый старый урок",
    "newest_lesson_date": "Самый новый урок", "detail": "Подробности", "days_before": "Дней до урока",
    "topic_entered_at": "Тема внесена", "topic_entered_at_precision": "Точность времени",
    "attendance_taken_at": "Посещаемость отмечена", "attendance_taken_at_precision": "Точность времени",
    "days_in_advance": "Заранее, дн.", "grade": "Параллель", "tasks": "Заданий", "tasks_timed": "С указанным временем",
    "minutes_known": "Минут (где указано)", "minutes_limit": "Предел СанПиН, мин", "over_limit": "Выше предела",
    "dimension": "Разрез", "week_start": "Неделя с", "month_start": "Месяц", "student_lessons": "Ученико-уроков",
    "absences": "Пропусков", "absent_illness": "По болезни", "absent_excused": "По уважительной",
    "absent_unexcused": "Без уважительной", "late": "Опозданий", "exempt": "Освобождён",
    "attendance_rate": "Посещаемость", "absence_share": "Доля пропусков", "illness_share": "Доля пропусков по болезни",
    "excused_share": "Доля пропусков по уважительной", "unexcused_share": "Доля пропусков без уважительной", "full_days_missed": "Полных дней пропущено",
    "full_days_illness": "Дней по болезни", "full_days_excused": "Дней по уважительной",
    "full_days_unexcused": "Дней без уважительной", "source": "Источник", "students": "Учеников",
    "ill": "Болеют", "ill_share": "Доля болеющих", "quarantine": "Карантин", "absences_recorded": "Пропуски внесены",
    "attendance_code": "Посещаемость", "students_present": "Присутствовало", "students_marked": "Получили отметку",
    "marked_share": "Доля с отметкой", "below_norm": "Ниже нормы", "lessons_attended": "Уроков посещено",
    "lessons_marked": "Уроков с отметкой", "students_expected": "Должны иметь отметку",
    "students_unmarked": "Без отметки", "unmarked_students": "Ученики без отметки", "absence_date": "Дата пропуска",
    "previous_date": "Дата прошлой «2»", "edge": "Край периода", "period_end": "Конец периода",
    "days_after_end": "Дней после конца", "weekly_hours": "Часов в неделю", "counted_marks": "Отметок учтено",
    "required_marks": "Нужно отметок", "period_mark": "Отметка за период", "avg_mark": "Средний балл",
    "weighted_avg": "Средневзвешенный балл", "expected_mark": "Отметка по среднему",
    "period_mark_set_at": "Отметка за период выставлена", "period_mark_set_basis": "Время выставления по",
    "avg_when_set": "Средневзвешенный в день выставления", "mark_when_set": "По среднему в день выставления",
    "marks_entered_after": "Отметок внесено после", "marks_changed_after": "Отметок изменено после",
    "marks_deleted_after": "Отметок удалено после", "verdict": "Вывод",
    "planned_teacher_id": "Учитель по расписанию", "actual_teacher_id": "Провёл урок", "recorded": "Замена отмечена",
    "lessons_held": "Проведено уроков", "lessons_cancelled": "Отменено уроков", "groups": "Групп",
    "subjects": "Предметов", "lessons_with_homework": "Уроков с ДЗ", "plan_lessons_covered": "Уроков КТП пройдено",
    "ktp_hours_planned": "Часов по КТП", "curriculum_hours_due": "Часов по плану", "lag_lessons": "Отставание, уроков",
    "delivery_share": "Выполнение программы", "reported_at": "Компрометация сообщена", "key": "Срез",
    "n": "Отметок (N)", "n5": "«5»", "n4": "«4»", "n3": "«3»", "n2": "«2»", "n_na": "«н/а»", "n_exempt": "«осв»",
    "success_pct": "Успеваемость, %", "quality_pct": "Качество, %", "sou_pct": "СОУ, %",
    "avg_period_mark": "Средняя отметка за период", "avg_current_mark": "Средний текущий балл",
    "weighted_avg_current": "Средневзвешенный текущий балл", "prev_students": "Учеников раньше", "prev_success_pct": "Успеваемость раньше, %",
    "prev_quality_pct": "Качество раньше, %", "prev_sou_pct": "СОУ раньше, %", "success_change": f"Изменение успеваемости, {PERCENTAGE_POINTS}",
    "quality_change": f"Изменение качества, {PERCENTAGE_POINTS}", "sou_change": f"Изменение СОУ, {PERCENTAGE_POINTS}", "category": "Категория",
    "one_four": "С одной «4»", "title": "Показатель", "family": "Область контроля", "basis": "Основание",
    "findings": "Случаев", "metric": "Код показателя",
    "mark_in_time_share": "Отметки в срок", "topic_in_time_share": "Темы в срок",
    "attendance_in_time_share": "Посещаемость в срок", "homework_in_time_share": "ДЗ в срок",
    "lessons_below_marks_norm": "Уроков ниже нормы накопляемости", "lessons_roll_taken": "Уроков с посещаемостью",
    "lessons_with_topic": "Уроков с темой", "table_name": "Таблица", "file_name": "Файл", "line": "Строка",
    "column_name": "Столбец", "value": "Значение", "batch_id": "Партия", "timezone": "Часовой пояс",
    "teachers": "Учителей", "classes": "Классов", "academic_year_id": "Учебный год", "name": "Название",
    "kind": "Вид", "number": "Номер", "start_date": "Начало", "end_date": "Конец", "grade_from": "С класса",
    "grade_to": "По класс", "rows": "Строк", "deleted": "Удалено", "source_system": "Источник данных",
    "bundle_path": "Пакет", "status": "Состояние", "started_at": "Начата", "finished_at": "Закончена",
    "rows_read": "Прочитано", "rows_loaded": "Загружено", "rows_unchanged": "Без изменений",
    "rows_rejected": "Отклонено", "rows_deleted": "Удалено строк", "first_batch": "Первая партия",
    "last_batch": "Последняя партия", "last_lesson_date": "Последний урок",
    "last_mark_entered_at": "Последняя отметка внесена", "last_seen_in_batch_at": "Последняя отметка загружена",
    "last_load_finished_at": "Последняя загрузка",
    "lesson_ids": "Уроки процедуры (коды)", "lesson_numbers": "№ уроков", "work_types": "Виды работ",
    "procedure_number": "№ процедуры по предмету", "previous_lesson_id": "Предыдущая процедура (код урока)",
    "previous_assessment_date": "Дата предыдущей процедуры", "days_since_previous": "Дней после предыдущей",
    "too_frequent": "Чаще нормы", "day_first_number": "Первый урок дня, №", "day_last_number": "Последний урок дня, №",
    "day_edge": "Место в дне", "edge_exempt": "Мало часов: правило урока дня не действует",
    "on_day_edge": "На первом или последнем уроке", "procedures": "Процедур",
    "assessment_lessons": "Уроков заняли процедуры", "assessment_share": "Доля уроков на процедуры",
    "assessment_dates": "Даты процедур",
}
CATEGORY = {"excellent": "отличник", "good": "хорошист", "one_three": "с одной «3» (резерв)",
            "satisfactory": "троечник", "failing": "неуспевающий", "not_attested": "не аттестован (н/а)"}
ITEMS = {"mark": "отметки", "topic": "темы", "attendance": "посещаемость", "homework": "ДЗ"}
TIMELINESS = {"on_time": "в срок", "late": "поздно", "possibly_late": "возможно поздно",
              "before_lesson": "раньше урока"}
DIMENSIONS = {"school": "школа", "level": "уровень", "class": "класс", "subject": "предмет", "teacher": "учитель",
              "week": "неделя", "month": "месяц", "total": "всего"}
KINDS = {  # periods.kind, holidays.kind, groups.kind (etl/schema.sql)
    "quarter": "четверть", "trimester": "триместр", "semester": "семестр", "half_year": "полугодие",
    "module": "модуль", "year": "учебный год", "custom": "особый период", "vacation": "каникулы",
    "holiday": "праздник", "quarantine": "карантин", "other": "другое", "class": "класс", "subgroup": "подгруппа",
}
PRECISION = {"second": "до секунды", "minute": "до минуты", "date": "только дата",
             "bound": "по загрузке (время не указано)"}
LAG_BASIS = {"entered_at": "время внесения", "first_seen": "первая загрузка"}
EDGE = {"first": "первый урок периода", "last": "последний урок периода"}
DAY_EDGE = {"first": "первый урок дня", "last": "последний урок дня", "only": "единственные уроки дня"}
SPIKE_SOURCE = {"attendance": "по пропускам", "quarantine": "карантин"}
BASIS_VERDICT = {"fitted": "средний подтянут к отметке позже", "outdated": "отметка не учитывает внесённого позже",
                 "other": "не соответствует ни тогда, ни сейчас"}
VALUE_MAPS: dict[str, dict[str, str]] = {
    "category": CATEGORY, "item": ITEMS, "timeliness": TIMELINESS, "kind": KINDS, "dimension": DIMENSIONS,
    "status": BATCH_STATUS, "table_name": TABLE_TITLES, "entered_at_precision": PRECISION,
    "topic_entered_at_precision": PRECISION, "attendance_taken_at_precision": PRECISION, "lag_precision": PRECISION,
    "lag_basis": LAG_BASIS, "period_mark_set_basis": LAG_BASIS, "verdict": BASIS_VERDICT, "edge": EDGE, "day_edge": DAY_EDGE, "source": SPIKE_SOURCE, "family": FAMILIES,
}
# List columns of ids, by the id column whose names they take: «Ученики без отметки» are names, not s001-st0577.
LIST_IDS = {"unmarked_students": "student_id"}
_SHARE_SUFFIXES = ("_share", "_rate")


def number(x: float | int | None, digits: int = 0) -> str:
    """1234.5 → «1 234,5» (non-breaking space between thousands, decimal comma)."""
    if x is None:
        return "—"
    return f"{half_up(x, digits):,.{digits}f}".replace(",", NBSP).replace(".", ",")


def signed(x: float | None, digits: int, unit: str) -> str | None:
    """A change for st.metric: «+0,5 п. п.», «-3» (ASCII minus: st.metric reads the sign from it); one that
    rounds to nothing has no sign, «0,0 п. п.», and `ui.tile` shows it without an arrow."""
    if x is None:
        return None
    rounded = half_up(x, digits)
    if rounded == 0:
        return f"{number(0, digits)}{unit}"
    return f"{'-' if rounded < 0 else '+'}{number(abs(rounded), digits)}{unit}"


def points(x: float | None) -> str | None:
    """A change of a percentage in percentage points, to 0,1: «+0,5 п. п.», «-1,2 п. п.», «0,0 п. п.»."""
    return signed(x, 1, f"{NBSP}{PERCENTAGE_POINTS}")


def share(x: float | None, digits: int = 1) -> str:
    """0.9654 → «96,5 %»; 0.9645 → «96,5 %» too (etl.rounding: half up on the value the query gives)."""
    return "—" if x is None else f"{number(half_up(x, digits, 100), digits)}{NBSP}%"


def percent(x: float | None, digits: int = 1) -> str:
    """96.5 (already percent) → «96,5 %»."""
    return "—" if x is None else f"{number(x, digits)}{NBSP}%"


# The Обзор's traffic light in words (the deck's badges, `zavuch metrics overview`).
LIGHT_WORDS: dict[str | None, str] = {"green": "в норме", "amber": "требует внимания", "red": "ниже нормы",
                                      None: "нет данных"}


def figure(unit: str, x: float | None) -> str:
    """A key figure of queries.deck.key_figures as its tile shows it: a share, a percent or a count."""
    if unit == "share":
        return share(x)
    if unit == "pct":
        return percent(x)
    return number(x)


def figure_change(unit: str, x: float | None) -> str | None:
    """A key figure's change against the previous period, signed (`signed`); percent figures in п. п. (`points`)."""
    if x is None:
        return None
    if unit == "share":
        return points(100 * x)
    if unit == "pct":
        return points(x)
    return signed(x, 0, "")


def date(d: dt.date | None) -> str:
    return "—" if d is None else d.strftime("%d.%m.%Y")


def moment(t: dt.datetime | None) -> str:
    """29.11.2026 11:25: a time of day to the minute, as the deck's tables show it."""
    return "—" if t is None else t.strftime("%d.%m.%Y %H:%M")


def long_date(d: dt.date) -> str:
    """12 января 2026 г."""
    return f"{d.day} {MONTHS_GEN[d.month - 1]} {d.year} г."


def month(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def not_ended(running: pl.DataFrame, *, markdown: bool = False) -> str:
    """What the deck's Успеваемость and Обзор and `zavuch metrics` say above results of periods still running
    (`queries.deck.periods_not_ended`): they are the period marks entered so far, not the period's results.
    `markdown`: the period names (the journal's text) escaped for st.markdown."""
    names = ", ".join(f"«{inert(r['period_name']) if markdown else r['period_name']}» (последний день — "
                      f"{date(r['end_date'])})" for r in running.iter_rows(named=True))
    one = running.height == 1
    return (f"{'Период' if one else 'Периоды'} {names} ещё не {'закончился' if one else 'закончились'}: отметки за "
            f"период выставлены ещё не всем. Успеваемость, качество знаний, СОУ, средняя отметка за период и "
            f"изменение к прошлому периоду здесь — на {date(running.item(0, 'as_of'))} по уже внесённым "
            "отметкам за период, а не итоги периода.")


def name_maps(lk: Lookups) -> dict[str, dict[str, str]]:
    """id → display name for every id column a metric frame may carry."""
    people = dict(zip(lk.people["id"], lk.people["short_name"], strict=True))
    groups = dict(zip(lk.groups["id"], lk.groups["name"], strict=True))
    return {
        "teacher_id": people, "student_id": people, "entered_by": people, "planned_teacher_id": people,
        "actual_teacher_id": people, "class_id": groups, "group_id": groups,
        "subject_id": dict(zip(lk.subjects["id"], lk.subjects["name"], strict=True)),
        "school_id": dict(zip(lk.schools["id"], lk.schools["name"], strict=True)),
        "period_id": dict(zip(lk.periods["id"], lk.periods["name"], strict=True)),
        "academic_year_id": dict(zip(lk.years["id"], lk.years["name"], strict=True)),
    }


def named(df: pl.DataFrame, lk: Lookups, drop: tuple[str, ...] = ()) -> pl.DataFrame:
    """Ids replaced by names, codes by Russian words, Russian headers; numbers keep their type."""
    maps = name_maps(lk)
    exprs, used = [], set()
    for col in df.columns:
        label = LABELS.get(col, col)
        if col in drop or label in used:  # e.g. subject_name next to subject_id: one «Предмет» column
            continue
        used.add(label)
        e = pl.col(col)
        if col in maps and df.schema[col] == pl.String:
            e = e.replace(maps[col])
        elif col in LIST_IDS and df.schema[col] == pl.List(pl.String):
            e = e.list.eval(pl.element().replace(maps[LIST_IDS[col]]))
        elif col in VALUE_MAPS and df.schema[col] == pl.String:
            e = e.replace(VALUE_MAPS[col])
        exprs.append(e.alias(label))
    return df.select(exprs)


def _is_share(col: str) -> bool:
    return col.endswith(_SHARE_SUFFIXES) or col.startswith("share_")


def source_names(df: pl.DataFrame, drop: tuple[str, ...] = ()) -> list[str]:
    """The metric column behind each column `named` keeps, in the same order."""
    out, used = [], set()
    for col in df.columns:
        label = LABELS.get(col, col)
        if col in drop or label in used:
            continue
        used.add(label)
        out.append(col)
    return out


def _comma(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String).str.replace(".", ",", literal=True)


def _percent_of_share(e: pl.Expr) -> pl.Expr:
    """A share 0–1 as the percent shown, to one decimal: 0.9645 → 96.5."""
    return half_up_column(e, 1, 100)


def _decimals(values: pl.Series) -> pl.Expr:
    """Decimals rounded to two places, every value of the column with as many as its longest one
    («2,20» under «2,29», not «2,2»), with a decimal comma."""
    text = values.to_frame().select(half_up_column(pl.col(values.name), 2)).to_series().cast(pl.String)
    digits = text.str.split(".").list.get(1, null_on_oob=True).str.len_chars().max() or 0
    parts = half_up_column(pl.col(values.name), 2).cast(pl.String).str.split(".")
    return parts.list.get(0) + "," + parts.list.get(1, null_on_oob=True).fill_null("").str.pad_end(digits, "0")


YES_NO = {True: "да", False: "нет"}


def _joined(e: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A list cell as text joined by «, »; dates as dd.mm.yyyy like every other date (the dates of the
    assessment procedures), not ISO."""
    if isinstance(dtype, pl.List) and dtype.inner == pl.Date:
        return e.list.eval(pl.element().dt.strftime("%d.%m.%Y")).list.join(", ")
    return e.cast(pl.List(pl.String)).list.join(", ")


def as_text(df: pl.DataFrame, source_columns: list[str]) -> pl.DataFrame:
    """For the screen: shares as «96,5 %», decimals with a comma, dates dd.mm.yyyy, yes/no in words."""
    exprs = []
    for col, src in zip(df.columns, source_columns, strict=True):
        dtype = df.schema[col]
        e = pl.col(col)
        if dtype.is_float() and _is_share(src):
            e = _comma(_percent_of_share(e)) + pl.lit(f"{NBSP}%")
        elif dtype.is_float() or dtype.is_decimal():
            e = _decimals(df[col])
        elif dtype == pl.Date and src == "month_start":  # «Месяц»: «январь 2026», not its first day
            e = e.map_elements(month, return_dtype=pl.String)
        elif dtype == pl.Date:
            e = e.dt.strftime("%d.%m.%Y")
        elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            e = e.dt.strftime("%d.%m.%Y %H:%M")
        elif dtype == pl.Boolean:
            e = e.replace_strict(YES_NO, return_dtype=pl.String)
        elif isinstance(dtype, pl.List):
            e = _joined(e, dtype)
        exprs.append(e.alias(col))
    return df.select(exprs)


# A spreadsheet treats a cell that starts with one of these as a formula (CSV/formula injection, OWASP):
# journal text (topics, homework, comments, names) comes from outside and must stay text.
FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Text cells starting with = + - @ (or a tab / carriage return) get a leading apostrophe."""
    return df.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, t in df.schema.items() if t == pl.String)


def inert(text: str) -> str:
    """Data-derived text placed into Markdown (captions, headings) with Markdown and HTML characters
    escaped, so a name or topic cannot become a link, an image or markup."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def for_files(df: pl.DataFrame, source_columns: list[str]) -> pl.DataFrame:
    """The frame a CSV or XLSX download (and `zavuch metrics --format csv`) carries: what the screen shows,
    as values a spreadsheet computes with. A share (a fraction 0–1 in `queries` and in JSON) becomes the
    percent the screen shows, rounded alike, under a header that names the unit: «Доля в срок, %» 96,5 —
    a bare 0,965 under «Доля в срок» read as under one percent. Lists become text joined by «, » (CSV
    has no nested values); yes/no are the screen's «да» / «нет», not «true» / «ИСТИНА»."""
    exprs = []
    for col, src in zip(df.columns, source_columns, strict=True):
        dtype = df.schema[col]
        if dtype.is_float() and _is_share(src):
            exprs.append(_percent_of_share(pl.col(col)).alias(col if col.endswith("%") else f"{col}, %"))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(col).replace_strict(YES_NO, return_dtype=pl.String))
        elif isinstance(dtype, pl.List):
            exprs.append(_joined(pl.col(col), dtype).alias(col))
        else:
            exprs.append(pl.col(col))
    return df.select(exprs)


def to_csv(df: pl.DataFrame) -> bytes:
    """CSV as Russian Excel opens it: UTF-8 with BOM, «;» separator, decimal comma, dates dd.mm.yyyy;
    text that would start a formula is neutralised. Give it `for_files`' frame (units in the headers)."""
    text = neutralise_formulas(df).write_csv(separator=";", decimal_comma=True, date_format="%d.%m.%Y",
                        datetime_format="%d.%m.%Y %H:%M")
    return "\ufeff".encode() + text.encode("utf-8")


def to_xlsx(df: pl.DataFrame, sheet: str) -> bytes:
    """XLSX with real numbers and dates (Excel shows them in the reader's locale); text that would start a
    formula is neutralised."""
    flat = neutralise_formulas(df)
    buf = io.BytesIO()
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31].strip()  # Excel forbids these characters in sheet names
    flat.write_excel(buf, worksheet=name, autofit=True, dtype_formats={pl.Date: "dd.mm.yyyy"})
    return buf.getvalue()
