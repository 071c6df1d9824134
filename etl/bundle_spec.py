"""The canonical bundle: one file per table, its columns, types, Russian header aliases and references.

This module is the single contract between everything that writes bundles (the demo generator, the
source adapters, a deputy's spreadsheet) and the loader. `docs/data-format.md` documents it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "int", "decimal", "date", "timestamp", "bool"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    references: str | None = None  # bundle table whose `id` this column must name
    choices: tuple[str, ...] | None = None  # allowed values (compared lower-cased)
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()  # Russian file names a school may use ('отметки.csv')
    doc: str = ""
    # Fact tables are snapshots of the journal: rows that vanish from a newer snapshot are marked
    # deleted (in the snapshot's date range) rather than removed.
    is_fact: bool = False
    dependencies: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _id(doc: str = "Ключ строки, текст; уникален в пределах системы-источника.") -> Column:
    return Column("id", "text", True, ("ИД", "Идентификатор", "Код", "ID"), doc=doc)


GRADE_CHOICES = tuple(str(g) for g in range(1, 12))

TABLES: tuple[Table, ...] = (
    Table(
        "schools",
        (
            _id(),
            Column("name", required=True, aliases=("Школа", "Название", "Краткое наименование")),
            Column("full_name", aliases=("Полное наименование",)),
            Column("region", aliases=("Регион", "Муниципалитет")),
            Column("timezone", aliases=("Часовой пояс",), doc="IANA, по умолчанию Europe/Moscow"),
            Column("school_week_days", "int", aliases=("Дней в неделе", "Учебная неделя"), choices=("5", "6")),
        ),
        aliases=("школы", "школа"),
        doc="Школа (или несколько школ муниципалитета).",
    ),
    Table(
        "academic_years",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("name", required=True, aliases=("Учебный год", "Название")),
            Column("start_date", "date", True, ("Начало", "Дата начала")),
            Column("end_date", "date", True, ("Окончание", "Дата окончания")),
        ),
        aliases=("учебные_годы", "годы"),
    ),
    Table(
        "periods",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("academic_year_id", required=True, aliases=("Учебный год",), references="academic_years"),
            Column("name", required=True, aliases=("Период", "Название")),
            Column(
                "kind",
                required=True,
                aliases=("Вид периода", "Тип"),
                choices=("quarter", "trimester", "semester", "half_year", "module", "year", "custom"),
            ),
            Column("number", "int", True, ("Номер",)),
            Column("start_date", "date", True, ("Начало", "Дата начала")),
            Column("end_date", "date", True, ("Окончание", "Дата окончания")),
            Column("grade_from", "int", aliases=("С класса", "Параллель с"), choices=GRADE_CHOICES),
            Column("grade_to", "int", aliases=("По класс", "Параллель по"), choices=GRADE_CHOICES),
        ),
        aliases=("периоды", "отчетные_периоды", "отчётные_периоды"),
        doc="Отчётные периоды; у разных параллелей разные (семестры 2–9, полугодия 10–11).",
    ),
    Table(
        "people",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("role", required=True, aliases=("Роль",), choices=("student", "teacher", "staff")),
            Column("last_name", required=True, aliases=("Фамилия",)),
            Column("first_name", required=True, aliases=("Имя",)),
            Column("middle_name", aliases=("Отчество",)),
            Column("sex", aliases=("Пол",), choices=("m", "f")),
            Column("birth_date", "date", aliases=("Дата рождения",)),
            Column("position", aliases=("Должность",)),
        ),
        aliases=("люди", "персоны", "участники"),
        doc="Ученики, учителя, администрация.",
    ),
    Table(
        "subjects",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("name", required=True, aliases=("Предмет", "Название")),
            Column("short_name", aliases=("Сокращение",)),
        ),
        aliases=("предметы",),
    ),
    Table(
        "groups",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("academic_year_id", required=True, aliases=("Учебный год",), references="academic_years"),
            Column("name", required=True, aliases=("Класс", "Группа", "Название")),
            Column("kind", required=True, aliases=("Вид",), choices=("class", "subgroup")),
            Column("grade", "int", True, ("Параллель",), choices=GRADE_CHOICES),
            Column("parent_group_id", aliases=("Класс группы", "Родительский класс"), references="groups"),
            Column("subject_id", aliases=("Предмет",), references="subjects"),
            Column("homeroom_teacher_id", aliases=("Классный руководитель",), references="people"),
        ),
        aliases=("классы", "группы"),
        doc="Классы и подгруппы (подгруппа ссылается на класс).",
    ),
    Table(
        "holidays",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("academic_year_id", required=True, aliases=("Учебный год",), references="academic_years"),
            Column("name", required=True, aliases=("Название",)),
            Column("kind", required=True, aliases=("Вид",), choices=("vacation", "holiday", "quarantine", "other")),
            Column("start_date", "date", True, ("Начало", "Дата начала")),
            Column("end_date", "date", True, ("Окончание", "Дата окончания")),
            Column("grade_from", "int", aliases=("С класса",), choices=GRADE_CHOICES),
            Column("grade_to", "int", aliases=("По класс",), choices=GRADE_CHOICES),
            Column("group_id", aliases=("Класс",), references="groups"),
        ),
        aliases=("каникулы", "праздники"),
        doc="Каникулы, праздники, карантины.",
    ),
    Table(
        "memberships",
        (
            _id(),
            Column("group_id", required=True, aliases=("Класс", "Группа"), references="groups"),
            Column("student_id", required=True, aliases=("Ученик",), references="people"),
            Column("valid_from", "date", True, ("С", "Дата зачисления")),
            Column("valid_to", "date", aliases=("По", "Дата выбытия")),
        ),
        aliases=("состав_классов", "составы"),
        doc="Кто в каком классе/подгруппе и с какого по какое число.",
    ),
    Table(
        "curriculum",
        (
            _id(),
            Column("group_id", required=True, aliases=("Класс", "Группа"), references="groups"),
            Column("subject_id", required=True, aliases=("Предмет",), references="subjects"),
            Column("teacher_id", required=True, aliases=("Учитель",), references="people"),
            Column("weekly_hours", "decimal", True, ("Часов в неделю", "Часы")),
            Column("valid_from", "date", aliases=("С",)),
            Column("valid_to", "date", aliases=("По",)),
        ),
        aliases=("учебный_план", "нагрузка"),
        doc="Учебный план и нагрузка: часы в неделю по классу × предмету × учителю.",
    ),
    Table(
        "plan_lessons",
        (
            _id(),
            Column("group_id", required=True, aliases=("Класс", "Группа"), references="groups"),
            Column("subject_id", required=True, aliases=("Предмет",), references="subjects"),
            Column("number", "int", True, ("№ урока", "Номер")),
            Column("planned_date", "date", aliases=("Дата по плану",)),
            Column("topic", required=True, aliases=("Тема",)),
            Column("hours", "int", aliases=("Часов",)),
        ),
        aliases=("ктп", "тематическое_планирование"),
        doc="Календарно-тематическое планирование.",
    ),
    Table(
        "work_types",
        (
            _id(),
            Column("school_id", required=True, aliases=("Школа",), references="schools"),
            Column("name", required=True, aliases=("Вид работы", "Название")),
            Column("abbr", aliases=("Сокращение",)),
            Column("weight", "decimal", aliases=("Вес",)),
            Column("is_control", "bool", aliases=("Контрольная",)),
        ),
        aliases=("виды_работ",),
    ),
    Table(
        "account_incidents",
        (
            _id(),
            Column("person_id", required=True, aliases=("Учётная запись", "Сотрудник"), references="people"),
            Column("reported_at", "timestamp", True, ("Дата сообщения", "Сообщено")),
            Column("description", aliases=("Описание",)),
        ),
        aliases=("инциденты",),
        doc="Сообщения о компрометации учётных записей (п. 4.3–4.4 регламента).",
    ),
    Table(
        "lessons",
        (
            _id(),
            Column("group_id", required=True, aliases=("Класс", "Группа"), references="groups"),
            Column("subject_id", required=True, aliases=("Предмет",), references="subjects"),
            Column("lesson_date", "date", True, ("Дата урока", "Дата")),
            Column("lesson_number", "int", aliases=("№ урока", "Номер урока")),
            Column("planned_teacher_id", aliases=("Учитель по расписанию",), references="people"),
            Column("actual_teacher_id", aliases=("Учитель", "Провёл"), references="people"),
            Column("is_substitution", "bool", aliases=("Замена",)),
            Column("status", aliases=("Статус",), choices=("held", "cancelled", "planned")),
            Column("topic", aliases=("Тема", "Тема урока")),
            Column("topic_entered_at", "timestamp", aliases=("Тема внесена",)),
            Column("plan_lesson_id", aliases=("Урок КТП",), references="plan_lessons"),
            Column(
                "attendance_taken_at",
                "timestamp",
                aliases=("Посещаемость отмечена",),
                doc="Когда учитель отметил присутствие (даже если все были); пусто = не отмечал.",
            ),
            Column("entered_by", aliases=("Кто заполнил",), references="people",
                   doc="Учётная запись, которая внесла тему/посещаемость урока."),
        ),
        aliases=("уроки", "занятия"),
        is_fact=True,
    ),
    Table(
        "marks",
        (
            _id(),
            Column("student_id", required=True, aliases=("Ученик",), references="people"),
            Column("lesson_id", required=True, aliases=("Урок",), references="lessons"),
            Column("work_type_id", aliases=("Вид работы",), references="work_types"),
            Column("value", required=True, aliases=("Отметка", "Оценка")),
            Column("weight", "decimal", aliases=("Вес",)),
            Column("counts_in_average", "bool", aliases=("Учитывать в среднем",)),
            Column("comment", aliases=("Комментарий",)),
            Column("entered_by", aliases=("Кто выставил",), references="people"),
            Column("entered_at", "timestamp", aliases=("Дата выставления", "Дата проставления", "Выставлена")),
            Column("entered_at_source", aliases=("Источник даты выставления",)),
            Column("updated_at", "timestamp", aliases=("Изменена",)),
            Column("deleted_at", "timestamp", aliases=("Удалена",)),
        ),
        aliases=("отметки", "оценки"),
        is_fact=True,
    ),
    Table(
        "final_marks",
        (
            _id(),
            Column("student_id", required=True, aliases=("Ученик",), references="people"),
            Column("subject_id", required=True, aliases=("Предмет",), references="subjects"),
            Column("group_id", required=True, aliases=("Класс", "Группа"), references="groups"),
            Column("period_id", aliases=("Период",), references="periods"),
            Column("kind", required=True, aliases=("Вид",), choices=("period", "year", "exam", "final")),
            Column("value", required=True, aliases=("Отметка", "Оценка")),
            Column("entered_by", aliases=("Кто выставил",), references="people"),
            Column("entered_at", "timestamp", aliases=("Дата выставления",)),
        ),
        aliases=("итоговые_отметки", "итоговые"),
        is_fact=True,
    ),
    Table(
        "attendance",
        (
            _id(),
            Column("student_id", required=True, aliases=("Ученик",), references="people"),
            Column("lesson_id", required=True, aliases=("Урок",), references="lessons"),
            Column("code", required=True, aliases=("Отметка посещаемости", "Код", "Статус")),
            Column("comment", aliases=("Комментарий", "Причина")),
            Column("recorded_by", aliases=("Кто отметил",), references="people"),
            Column("recorded_at", "timestamp", aliases=("Дата внесения", "Отмечено")),
        ),
        aliases=("посещаемость", "пропуски"),
        is_fact=True,
        doc="Только отсутствия и опоздания; присутствие = нет строки.",
    ),
    Table(
        "homework",
        (
            _id(),
            Column("lesson_id", required=True, aliases=("Урок",), references="lessons"),
            Column("text", required=True, aliases=("Задание", "Домашнее задание", "Текст")),
            Column("due_date", "date", aliases=("Срок", "К дате")),
            Column("duration_minutes", "int", aliases=("Минут", "Время выполнения")),
            Column("entered_by", aliases=("Кто задал",), references="people"),
            Column("entered_at", "timestamp", aliases=("Дата внесения", "Задано")),
        ),
        aliases=("домашние_задания", "дз"),
        is_fact=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Order in which tables must be loaded so that references resolve (TABLES is already in it).
LOAD_ORDER: tuple[str, ...] = tuple(t.name for t in TABLES)

# manifest.toml (optional) in the bundle root.
MANIFEST_NAME = "manifest.toml"
DEFAULT_SOURCE_SYSTEM = "zavuch"
SOURCE_SYSTEMS = (
    "zavuch",
    "demo",
    "dnevnik_ru",
    "kundelik_kz",
    "netschool",
    "mesh",
    "eljur",
    "ruobr",
    "elschool",
    "manual_xlsx",
    "sql",
)


def resolve_table(file_stem: str) -> Table | None:
    """Map a file name without extension ('marks', 'Отметки') to its table."""
    key = file_stem.strip().lower().replace(" ", "_")
    for t in TABLES:
        if key == t.name or key in t.aliases:
            return t
    return None
