"""The curriculum: subjects, weekly hours per grade (ФГОС/ФОП-like, 5-day week), subgroup splits,
work types and which subjects carry control works.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    key: str
    name: str
    short: str
    specialty: str  # which teachers teach it
    hours: tuple[int, ...]  # weekly hours in grades 1..11 (0 = not taught)
    control: tuple[str, ...] = ()  # control work types used, in rotation; () = no control works
    split_from: int = 0  # taught in two subgroups from this grade on (0 = never)
    split_to: int = 11
    double: bool = False  # 2 weekly hours given as one double lesson


CW = "Контрольная работа"
DICT = "Диктант"
ESSAY = "Сочинение"
EXPOS = "Изложение"

SUBJECTS: tuple[Subject, ...] = (
    Subject("rus", "Русский язык", "Рус. яз.", "rus", (5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2), (DICT, CW, EXPOS)),
    Subject("litread", "Литературное чтение", "Лит. чт.", "primary", (4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0), (CW,)),
    Subject("lit", "Литература", "Лит.", "rus", (0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3), (ESSAY, CW)),
    Subject("eng", "Английский язык", "Англ. яз.", "eng", (0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3), (CW,), split_from=2),
    Subject("math", "Математика", "Матем.", "math", (4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0), (CW,)),
    Subject("alg", "Алгебра", "Алг.", "math", (0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3), (CW,)),
    Subject("geom", "Геометрия", "Геом.", "math", (0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2), (CW,)),
    Subject("stat", "Вероятность и статистика", "ВиС", "math", (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1), (CW,)),
    Subject("inf", "Информатика", "Информ.", "inf", (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1), (CW,), split_from=7),
    Subject("okr", "Окружающий мир", "Окр. мир", "primary", (2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0), (CW,)),
    Subject("orkse", "Основы религиозных культур и светской этики", "ОРКСЭ", "primary",
            (0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)),
    Subject("hist", "История", "Ист.", "hist", (0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2), (CW,)),
    Subject("soc", "Обществознание", "Общ.", "hist", (0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2), (CW,)),
    Subject("geo", "География", "Геогр.", "geo", (0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1), (CW,)),
    Subject("bio", "Биология", "Биол.", "bio", (0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1), (CW,)),
    Subject("phys", "Физика", "Физ.", "phys", (0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2), (CW,)),
    Subject("chem", "Химия", "Хим.", "chem", (0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1), (CW,)),
    Subject("art", "Изобразительное искусство", "ИЗО", "art", (1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0)),
    Subject("music", "Музыка", "Муз.", "music", (1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0)),
    Subject("tech", "Технология", "Технол.", "tech", (1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0),
            split_from=5, split_to=8, double=True),
    Subject("obzr", "ОБЗР", "ОБЗР", "obzr", (0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)),
    Subject("pe", "Физическая культура", "Физ-ра", "pe", (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)),
)
SUBJECTS_BY_KEY = {s.key: s for s in SUBJECTS}

# In grades 1–4 the class teacher (учитель начальных классов) teaches these subjects too.
PRIMARY_TAUGHT_BY_CLASS_TEACHER = frozenset({"rus", "litread", "math", "okr", "orkse", "art", "tech"})

SPECIALTY_POSITION = {
    "primary": "учитель начальных классов",
    "rus": "учитель русского языка и литературы",
    "eng": "учитель английского языка",
    "math": "учитель математики",
    "inf": "учитель информатики",
    "hist": "учитель истории и обществознания",
    "geo": "учитель географии",
    "bio": "учитель биологии",
    "phys": "учитель физики",
    "chem": "учитель химии",
    "art": "учитель изобразительного искусства",
    "music": "учитель музыки",
    "tech": "учитель технологии",
    "obzr": "преподаватель-организатор ОБЗР",
    "pe": "учитель физической культуры",
}

STAFF_POSITIONS = (
    "директор",
    "заместитель директора по учебно-воспитательной работе",
    "заместитель директора по учебно-воспитательной работе",
    "заместитель директора по воспитательной работе",
)


@dataclass(frozen=True)
class WorkType:
    key: str
    name: str
    abbr: str
    weight: int
    is_control: bool


WORK_TYPES: tuple[WorkType, ...] = (
    WorkType("answer", "Ответ на уроке", "УО", 1, False),
    WorkType("indep", "Самостоятельная работа", "СР", 1, False),
    WorkType("test", "Тест", "Т", 1, False),
    WorkType("practice", "Практическая работа", "ПР", 1, False),
    WorkType("lab", "Лабораторная работа", "ЛР", 1, False),
    WorkType("project", "Проект", "П", 2, False),
    WorkType("cw", CW, "КР", 2, True),
    WorkType("dict", DICT, "Д", 2, True),
    WorkType("essay", ESSAY, "С", 2, True),
    WorkType("expos", EXPOS, "И", 2, True),
)
WORK_TYPE_INDEX = {w.name: i for i, w in enumerate(WORK_TYPES)}

# Ordinary (non-control) work types by subject specialty: (work type key, share).
ORDINARY_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "default": (("answer", 0.55), ("indep", 0.25), ("test", 0.17), ("project", 0.03)),
    "science": (("answer", 0.45), ("indep", 0.2), ("test", 0.15), ("lab", 0.17), ("project", 0.03)),
    "practical": (("practice", 0.75), ("answer", 0.2), ("project", 0.05)),
}
SCIENCE = frozenset({"phys", "chem", "bio", "geo", "okr"})
PRACTICAL = frozenset({"art", "music", "tech", "pe", "obzr", "inf"})


def ordinary_mix(subject_key: str) -> tuple[tuple[str, float], ...]:
    if subject_key in SCIENCE:
        return ORDINARY_MIX["science"]
    if subject_key in PRACTICAL:
        return ORDINARY_MIX["practical"]
    return ORDINARY_MIX["default"]


def is_split(subject: Subject, grade: int) -> bool:
    return bool(subject.split_from) and subject.split_from <= grade <= subject.split_to


def subjects_of_grade(grade: int) -> list[Subject]:
    return [s for s in SUBJECTS if s.hours[grade - 1] > 0]
