"""The catalogue of named metrics: each is one SQL file in queries/sql/ plus what a reader needs to know."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from etl.russian import plural

SQL_DIR = Path(__file__).with_name("sql")

FAMILIES: dict[str, str] = {
    "timeliness": "Своевременность заполнения",
    "homework": "Домашние задания",
    "attendance": "Посещаемость",
    "journal": "Заполнение журнала и соблюдение регламента",
    "results": "Результаты",
}


@dataclass(frozen=True)
class MetricInfo:
    name: str
    title: str  # Russian, as shown to the deputy; «{…}» fields are the school's norms (`worded`)
    family: str  # key of FAMILIES
    clause: str  # regulation clause or domain-notes section it serves
    description: str  # one sentence, Russian: what a row means; «{…}» fields as in `title`

    def worded(self, norms: dict[str, Any]) -> MetricInfo:
        """The title and description with the school's own norms in them («не исправлена за 4 урока» when
        the school counts 4): a title with the default figure would misstate a school's overridden norm."""
        words = norm_words(norms)
        return replace(self, title=self.title.format(**words), description=self.description.format(**words))

    @property
    def basis(self) -> str:
        """What a user is shown as the metric's ground: the regulation's clauses («п. 2.13»), a federal
        recommendation as named (the assessment schedule), else the practice of internal school control. The domain-notes and data-formats sections in `clause` are
        the developers' sources (docs/metrics.md), not something a deputy can look up."""
        regulation = "; ".join(p.strip() for p in self.clause.split(";")
                               if not p.strip().startswith(("domain-notes", "data-formats")))
        if not regulation:
            return "практика внутришкольного контроля"
        return f"п. {regulation}" if regulation[0].isdigit() else regulation

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / f"{self.name}.sql"


def _share(value: float) -> str:
    """0.3 → «30 %», 0.255 → «25,5 %»."""
    return f"{float(value) * 100:.4g}".replace(".", ",") + "\u00a0%"


def _days(n: int) -> str:
    return f"{n}\u00a0{plural(n, 'день', 'дня', 'дней')}"


def _deadline(n: int) -> str:
    """A deadline in days after the lesson: «1 день», and 0 as «в день урока»."""
    return "в день урока" if n == 0 else _days(n)


def _deadlines(d: dict[str, Any]) -> str:
    """«обычные работы — 1 день, контрольные — 7 дней, сочинение и изложение — 10 дней» from [deadlines]:
    every deadline a mark is judged by, the school's own ones by work type too."""
    by_days: dict[int, list[str]] = {}
    for r in d.get("by_work_type", []):
        by_days.setdefault(int(r["days"]), []).append(str(r["name"]).lower())
    named = [f"{' и '.join(names)} — {_deadline(days)}" for days, names in sorted(by_days.items())]
    return ", ".join([f"обычные работы — {_deadline(int(d['mark_days']))}",
                      f"контрольные — {_deadline(int(d['control_work_days']))}", *named])


def _entry_deadlines(d: dict[str, Any]) -> str:
    """«темы, посещаемость и ДЗ — в день урока» from [deadlines], or each on its own when they differ."""
    days = {"темы": int(d["topic_days"]), "посещаемость": int(d["attendance_days"]), "ДЗ": int(d["homework_days"])}
    if len(set(days.values())) == 1:
        return f"темы, посещаемость и ДЗ — {_deadline(days['темы'])}"
    return ", ".join(f"{item} — {_deadline(n)}" for item, n in days.items())


def _later(n: int) -> str:
    """Past an entry deadline: «позже дня урока», or «позже чем через 1 день после урока»."""
    return "позже дня урока" if n == 0 else f"позже чем через {_days(n)} после урока"


def _decimal(x: float) -> str:
    """17.5 → «17,5», 2.0 → «2»."""
    return f"{float(x):.4g}".replace(".", ",")


def _interval(days: float) -> str:
    """The least interval between assessment procedures: «2,5 недели (17,5 дня)» when it is a whole or half
    number of weeks, as the recommendations say it, else in days alone («12 дней»)."""
    def day_words(d: float) -> str:
        return f"{_decimal(d)}\u00a0" + (plural(int(d), "день", "дня", "дней") if float(d).is_integer() else "дня")
    weeks = float(days) / 7
    if not (weeks * 2).is_integer():
        return day_words(days)
    unit = plural(int(weeks), "неделю", "недели", "недель") if weeks.is_integer() else "недели"
    return f"{_decimal(weeks)}\u00a0{unit} ({day_words(days)})"


def _weekly_hours(hours: float) -> str:
    """«1 час в неделю», «1,5 часа в неделю»."""
    unit = plural(int(hours), "час", "часа", "часов") if float(hours).is_integer() else "часа"
    return f"{_decimal(hours)}\u00a0{unit} в неделю"


def norm_words(norms: dict[str, Any]) -> dict[str, str]:
    """The norms that metric titles and descriptions quote, as Russian words."""
    j, a, t = norms["journal"], norms["attendance"], norms["timeliness"]
    lessons = int(j["two_correction_lessons"])
    return {
        "correction": f"{lessons}\u00a0{plural(lessons, 'урок', 'урока', 'уроков')}",
        "deadlines": _deadlines(norms["deadlines"]),
        "entry_deadlines": _entry_deadlines(norms["deadlines"]),
        "topic_later": _later(int(norms["deadlines"]["topic_days"])),
        "attendance_later": _later(int(norms["deadlines"]["attendance_days"])),
        "homework_later": _later(int(norms["deadlines"]["homework_days"])),
        "spree_marks": str(int(t["spree_min_marks"])),
        "spree_age": f"{int(t['spree_min_age_days'])}\u00a0"  # after «не меньше»: 21 дня, 14 дней
                     + plural(int(t["spree_min_age_days"]), "дня", "дней", "дней"),
        "systematic": _share(a["systematic_absence_share"]),
        "na_risk": _share(a["na_risk_missed_share"]),
        "illness_spike": _share(a["illness_spike_share"]),
        "lesson_marked": _share(j["lesson_marked_share"]),
        "student_marked": _share(j["student_marked_share"]),
        "grace": _days(int(j["control_work_grace_days"])),
        "assessment_interval": _interval(norms["assessment"]["min_interval_days"]),
        "assessment_share": _share(norms["assessment"]["max_share"]),
        "assessment_exempt_hours": _weekly_hours(norms["assessment"]["edge_exempt_weekly_hours"]),
    }


# The source of the assessment-procedure rules a user is shown (MetricInfo.basis): a federal recommendation,
# not a clause of the school's regulation.
RECOMMENDATIONS_2021 = "рекомендации Минпросвещения России и Рособрнадзора по графику оценочных процедур (2021); domain-notes §2"


def _m(name: str, title: str, family: str, clause: str, description: str) -> MetricInfo:
    return MetricInfo(name, title, family, clause, description)


METRICS: tuple[MetricInfo, ...] = (
    # 1. Timeliness
    _m("mark_lag", "Задержка выставления отметок", "timeliness", "2.8; прил. 3 п.3",
       "Каждая отметка: задержка от урока до выставления в календарных и учебных днях (или границы, если известна только дата первой загрузки), срок по виду работы."),
    _m("timeliness_summary", "Своевременность по учителям", "timeliness", "2.5–2.8; прил. 3 п.3",
       "Учитель × вид записи (отметки, темы, посещаемость, ДЗ): доля внесённых в день урока, в течение суток и в срок."),
    _m("mark_late", "Отметки позже срока", "timeliness", "2.8; прил. 3 п.3",
       "Отметки, выставленные позже срока своего вида работы ({deadlines}); где источник не даёт время "
       "выставления и срок не установить, отметка не считается поздней."),
    _m("mark_spree", "Массовое выставление задним числом", "timeliness", "2.8",
       "Учитель × день: выставлено не меньше {spree_marks} отметок за уроки, прошедшие не меньше {spree_age} назад."),
    _m("mark_entered_before_lesson", "Отметки раньше урока", "timeliness", "data-formats §10.1",
       "Отметки с датой выставления раньше даты урока."),
    _m("topic_late", "Темы, записанные {topic_later}", "timeliness", "2.5",
       "Уроки, тема которых записана {topic_later}."),
    _m("attendance_late", "Посещаемость, отмеченная {attendance_later}", "timeliness", "2.6",
       "Уроки, на которых отсутствующие отмечены {attendance_later}."),
    # 2. Homework
    _m("homework_missing", "Уроки без домашнего задания", "homework", "2.7",
       "Проведённые уроки без ДЗ (кроме освобождённых предметов и параллелей)."),
    _m("homework_late", "ДЗ, внесённое {homework_later}", "homework", "2.7",
       "Уроки, ДЗ к которым внесено {homework_later}."),
    _m("homework_in_advance", "ДЗ, размещённое заранее", "homework", "2.7",
       "ДЗ, внесённое до дня урока (регламент рекомендует размещать заранее)."),
    _m("homework_load", "Дневная нагрузка ДЗ по классам", "homework", "2.7; СанПиН 1.2.3685-21 табл. 6.6",
       "Класс × день, к которому задано: число заданий и минуты (где указаны) против предела СанПиН."),
    # 3. Attendance
    _m("attendance_summary", "Посещаемость", "attendance", "2.6, 2.13",
       "Разрез (класс, предмет, неделя, месяц): ученико-уроки, пропуски по причинам, доля посещения."),
    _m("attendance_students", "Пропуски по ученикам", "attendance", "2.13; domain-notes §4.2",
       "Ученик: пропущено уроков по причинам и полных дней (пропущены все уроки дня)."),
    _m("chronic_absentees", "Систематические пропуски", "attendance", "2.13; domain-notes §2",
       "Ученик × месяц: пропущено не меньше {systematic} уроков месяца."),
    _m("na_risk", "Риск «н/а» по пропускам", "attendance", "2.11; domain-notes §2",
       "Ученик × предмет: пропущено не меньше {na_risk} уроков — риск неаттестации."),
    _m("illness_spikes", "Вспышки заболеваемости", "attendance", "domain-notes §2",
       "Класс × день: доля класса, отсутствующая по болезни, не меньше {illness_spike}."),
    _m("attendance_unmarked", "Уроки без отметки посещаемости", "attendance", "2.6",
       "Проведённые уроки, на которых учитель не отметил присутствие."),
    _m("mark_on_absence_no_comment", "Отметка при «Н» без комментария", "attendance", "2.9",
       "Отметки на уроке, где ученик отмечен отсутствующим, без комментария о пропуске."),
    # 4. Journal filling and teacher compliance
    _m("topic_missing", "Уроки без темы", "journal", "2.5, 2.10",
       "Проведённые уроки с пустой, слишком короткой темой или темой из точек и тире."),
    _m("topic_plan_mismatch", "Темы не по КТП", "journal", "2.10",
       "Уроки, тема которых не совпадает с темой урока КТП или не связана с КТП."),
    _m("mark_work_type_missing", "Отметки без вида работы", "journal", "2.10",
       "Отметки, для которых не указан вид работы."),
    _m("lesson_marks_density", "Накопляемость на уроке", "journal", "2.10; domain-notes §1.3",
       "Урок: сколько учеников группы получили отметку, против нормы доли класса ({lesson_marked})."),
    _m("student_marks_density", "Накопляемость у ученика", "journal", "2.11; domain-notes §2",
       "Ученик × предмет: доля уроков с отметкой против нормы ({student_marked})."),
    _m("control_work_incomplete", "Контрольные без полного ряда отметок", "journal", "2.10; domain-notes §1.3",
       "Уроки с контрольной работой, где через {grace} не у всех присутствовавших есть отметка."),
    _m("two_after_absence", "«2» сразу после пропуска", "journal", "domain-notes §1.3",
       "«2» на первом уроке после урока, который ученик пропустил."),
    _m("two_not_corrected", "«2» не исправлена за {correction}", "journal", "domain-notes §1.3",
       "«2», после которой у ученика нет другой отметки по предмету в следующие {correction}."),
    _m("two_in_a_row", "Две «2» подряд", "journal", "domain-notes §1.3",
       "Вторая из двух «2» подряд у ученика по предмету."),
    _m("two_on_period_edge", "«2» на первом или последнем уроке периода", "journal", "domain-notes §1.3",
       "«2» на первом или последнем уроке группы по предмету в отчётном периоде."),
    _m("assessment_schedule", "График оценочных процедур", "journal", RECOMMENDATIONS_2021,
       "Каждая оценочная процедура (урок с отметками за контрольную работу) класса или группы по предмету: дата, "
       "уроки, дни после предыдущей, первый или последний урок дня, нарушено ли правило интервала или урока дня."),
    _m("assessment_too_frequent", "Оценочные процедуры чаще 1 раза в {assessment_interval}", "journal",
       RECOMMENDATIONS_2021,
       "Оценочные процедуры класса или группы по предмету, проведённые меньше чем через {assessment_interval} "
       "после предыдущей (календарные дни, каникулы входят)."),
    _m("assessment_share_high", "Оценочные процедуры больше {assessment_share} уроков предмета", "journal",
       RECOMMENDATIONS_2021,
       "Класс или группа × предмет × закончившийся период: оценочные процедуры заняли больше {assessment_share} "
       "проведённых уроков предмета."),
    _m("assessment_day_edge", "Оценочные процедуры на первом или последнем уроке дня", "journal",
       RECOMMENDATIONS_2021,
       "Оценочные процедуры на первом или последнем уроке дня класса, кроме предметов с нагрузкой "
       "{assessment_exempt_hours} и меньше."),
    _m("period_mark_missing", "Нет отметки за период", "journal", "2.11",
       "Ученик × предмет × закончившийся период: был в группе весь период, отметки за период нет."),
    _m("period_mark_late", "Отметка за период выставлена поздно", "journal", "2.11; прил. 3 п.3",
       "Отметки за период, выставленные позже конца периода плюс срок."),
    _m("too_few_marks", "Мало отметок для аттестации", "journal", "2.11; domain-notes §2",
       "Ученик × предмет × период: учитываемых отметок меньше минимума по недельным часам."),
    _m("period_mark_mismatch", "Отметка за период не по среднему", "journal", "2.11",
       "Отметка за период отличается от средневзвешенного, округлённого по порогам школы."),
    _m("period_mark_basis_changed", "Отметки изменены после отметки за период", "journal", "2.11; domain-notes §5",
       "Отметка за период, после выставления которой текущие отметки периода внесены, изменены или удалены "
       "так, что средневзвешенный округляется иначе, чем в день её выставления."),
    _m("substitutions", "Замены уроков", "journal", "2.5",
       "Уроки, проведённые не учителем по расписанию, и уроки с отмеченной заменой."),
    _m("substitution_unrecorded", "Замены без отметки о замене", "journal", "2.5",
       "Уроки без отметки о замене, которые заполнил другой учитель."),
    _m("teacher_workload", "Нагрузка учителя", "journal", "2.4",
       "Учитель: проведено и отменено уроков, групп, предметов, выставлено отметок, уроков с ДЗ."),
    _m("programme_delivery", "Выполнение программы", "journal", "2.10",
       "Класс × предмет: проведено уроков против КТП и учебного плана, отставание."),
    _m("entry_after_compromise", "Записи после компрометации учётной записи", "journal", "4.3–4.4",
       "Записи (отметки, темы, посещаемость, ДЗ, итоговые отметки), внесённые учётной записью после сообщения "
       "о её компрометации: недействительны и не учитываются ни в одном показателе."),
    # 5. Results
    _m("results_summary", "Успеваемость, качество, СОУ", "results", "2.15; domain-notes §4.1",
       "Разрез (школа, уровень, класс, предмет, учитель) × период: успеваемость, качество, СОУ, средние, изменение к прошлому периоду."),
    _m("student_categories", "Отличники, хорошисты, резерв, неуспевающие", "results", "2.15; domain-notes §4.1",
       "Ученик × период: категория по отметкам за период (отличник, хорошист, с одной «3», неуспевающий, н/а)."),
    _m("summary_sheet", "Сводная ведомость", "results", "2.15",
       "Ученик × предмет × период: отметка за период, средний и средневзвешенный балл, число отметок."),
)

BY_NAME: dict[str, MetricInfo] = {m.name: m for m in METRICS}

# Metrics whose every row is a case for the deputy to act on (a violation or a risk); the rest measure.
FINDINGS: tuple[str, ...] = (
    "mark_late", "mark_spree", "mark_entered_before_lesson", "topic_late", "attendance_late",
    "homework_missing", "homework_late", "chronic_absentees", "na_risk", "illness_spikes",
    "attendance_unmarked", "mark_on_absence_no_comment", "topic_missing", "topic_plan_mismatch",
    "mark_work_type_missing", "control_work_incomplete", "two_after_absence", "two_not_corrected",
    "two_in_a_row", "two_on_period_edge", "period_mark_missing", "period_mark_late", "too_few_marks",
    "period_mark_mismatch", "period_mark_basis_changed", "substitution_unrecorded", "entry_after_compromise",
    "assessment_too_frequent", "assessment_share_high", "assessment_day_edge",
)
