"""«Справка по итогам проверки ведения электронного журнала» (regulation annex 1; domain-notes §1.5).

    build(con, scope, options) -> Spravka       # the document model and the findings it states
    render_pdf(spravka.document) / render_docx(spravka.document) -> bytes

Every figure comes from queries.documents.findings; this module only words and tabulates them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import polars as pl

import queries
from etl.norms import load_norms
from queries.access import access_of
from queries.documents import Findings, directory, findings
from queries.registry import norm_words
from queries.scope import ResolvedScope
from reports.model import Column, Document, Paragraph, Signature, Table
from reports.names import Names
from reports.templates import load_templates
from reports.text import (
    counted,
    date_list,
    long_date,
    names_sentence,
    number,
    one_or_many,
    percent,
    points,
    share,
    short_date,
    verb_for,
)


@dataclass(frozen=True)
class Finding:
    label: str  # what is wrong, as a table cell: «не записана тема урока»
    unit: tuple[str, str, str]  # what a case is, plural forms: урок / урока / уроков
    table: str  # "course": teacher × class × subject with dates; "teacher": cases per teacher; "own": its own table
    personal: bool = True  # part of the personal recommendations (a regulation breach, not a measured risk)
    marks: bool = False  # a check of marks: nothing to check in grades without marks (grade 1)
    after_period: bool = False  # judged once a period has ended (periods_in_scope.sql)
    per_subject: bool = False  # a case is a student in one subject: counted as students, with the cases beside


FINDINGS: dict[str, Finding] = {
    "topic_missing": Finding("не записана тема урока", ("урок", "урока", "уроков"), "course"),
    "homework_missing": Finding("не записано домашнее задание", ("урок", "урока", "уроков"), "course"),
    "attendance_unmarked": Finding("не отмечена посещаемость", ("урок", "урока", "уроков"), "course"),
    "substitution_unrecorded": Finding("замена не оформлена", ("урок", "урока", "уроков"), "course"),
    "topic_plan_mismatch": Finding("тема не соответствует КТП", ("урок", "урока", "уроков"), "course"),
    "topic_late": Finding("тема записана {topic_later}", ("урок", "урока", "уроков"), "course"),
    "homework_late": Finding("ДЗ записано {homework_later}", ("урок", "урока", "уроков"), "course"),
    "attendance_late": Finding("посещаемость отмечена {attendance_later}", ("урок", "урока", "уроков"), "course"),
    "mark_late": Finding("отметки выставлены позже срока", ("отметка", "отметки", "отметок"), "teacher", marks=True),
    "mark_spree": Finding("массовое выставление отметок задним числом", ("день", "дня", "дней"), "own", marks=True),
    "mark_entered_before_lesson": Finding("отметка выставлена раньше урока", ("отметка", "отметки", "отметок"),
                                          "course", marks=True),
    # invalid under 4.4, not the account owner's breach: the приказ voids them in a point of its own
    "entry_after_compromise": Finding("записи после сообщения о компрометации учётной записи",
                                      ("запись", "записи", "записей"), "own", personal=False),
    "lesson_marks_density": Finding("отметки получили меньше нормы присутствовавших", ("урок", "урока", "уроков"),
                                    "teacher", personal=False, marks=True),
    "student_marks_density": Finding("накопляемость у ученика ниже нормы",
                                     ("ученик", "ученика", "учеников"), "teacher", personal=False, marks=True,
                                     per_subject=True),
    "too_few_marks": Finding("мало отметок для аттестации", ("ученик", "ученика", "учеников"), "own", marks=True,
                             after_period=True, per_subject=True),
    "control_work_incomplete": Finding("не у всех присутствовавших есть отметка за контрольную работу",
                                       ("работа", "работы", "работ"), "own", marks=True),
    # the schedule of assessment procedures: federal recommendations the administration's schedule answers for,
    # remarks of the section rather than a teacher's breach of the regulation
    "assessment_too_frequent": Finding("оценочные процедуры чаще 1 раза в {assessment_interval}",
                                       ("процедура", "процедуры", "процедур"), "own", personal=False, marks=True),
    "assessment_share_high": Finding("оценочные процедуры заняли больше {assessment_share} уроков предмета",
                                     ("курс", "курса", "курсов"), "own", personal=False, marks=True,
                                     after_period=True),
    "assessment_day_edge": Finding("оценочная процедура на первом или последнем уроке дня",
                                   ("процедура", "процедуры", "процедур"), "course", personal=False, marks=True),
    "period_mark_mismatch": Finding("отметка за период не соответствует средневзвешенному баллу",
                                    ("отметка", "отметки", "отметок"), "own", marks=True, after_period=True),
    "period_mark_basis_changed": Finding("после отметки за период отметки внесены, изменены или удалены так, "
                                         "что средневзвешенный округляется иначе", ("отметка", "отметки", "отметок"),
                                         "own", marks=True, after_period=True),
    "two_after_absence": Finding("«2» на первом уроке после пропуска", ("отметка", "отметки", "отметок"), "course", marks=True),
    "two_not_corrected": Finding("«2» не исправлена за {correction}", ("отметка", "отметки", "отметок"), "teacher",
                                 personal=False, marks=True),
    "two_in_a_row": Finding("две «2» подряд", ("случай", "случая", "случаев"), "teacher", personal=False, marks=True),
    "period_mark_missing": Finding("нет отметки за период", ("ученик", "ученика", "учеников"), "course", marks=True,
                                   after_period=True, per_subject=True),
    "period_mark_late": Finding("отметка за период выставлена поздно", ("отметка", "отметки", "отметок"), "course",
                                marks=True, after_period=True),
    "na_risk": Finding("риск «н/а» (пропущено не меньше нормы уроков)", ("ученик", "ученика", "учеников"), "own",
                       personal=False, marks=True, per_subject=True),
    "programme_delivery": Finding("отставание от КТП", ("курс", "курса", "курсов"), "own"),
    "mark_on_absence_no_comment": Finding("отметка при пропуске без комментария (п. 2.9)",
                                          ("отметка", "отметки", "отметок"), "course", marks=True),
}


def finding_label(name: str, norms: dict[str, Any]) -> str:
    """The finding's label; «не исправлена за N уроков» takes N from the school's norms, not a literal 3."""
    return FINDINGS[name].label.format(**norm_words(norms))


@dataclass(frozen=True)
class Section:
    title: str
    findings: tuple[str, ...]
    narrative: Callable[[Findings, dict[str, Any]], list[str]]


def _coverage(f: Findings) -> dict[str, Any]:
    return f.measures["journal_coverage"].filter(pl.col("dimension") == "school").row(0, named=True)


def _timeliness(f: Findings, item: str) -> dict[str, Any] | None:
    rows = f.measures["timeliness_overview"].filter(pl.col("item") == item)
    return rows.row(0, named=True) if rows.height else None


def _filling(f: Findings, norms: dict[str, Any]) -> list[str]:
    c = _coverage(f)
    homework = (f"домашнее задание — в {share(c['homework_share'])} уроков, по которым оно задаётся "
                f"({number(c['lessons_needing_homework'])})" if c["lessons_needing_homework"] else
                "домашнее задание на этих уроках не задаётся (нормы школы)")
    return [f"{verb_for(c['lessons_held'], 'Проверен', 'Проверено')} "
            f"{counted(c['lessons_held'], 'проведённый урок', 'проведённых урока', 'проведённых уроков')}. "
            f"Темы уроков записаны в {share(c['topic_share'])} уроков, {homework}, посещаемость отмечена "
            f"на {share(c['roll_share'])} уроков."]


def period_not_ended(f: Findings) -> str | None:
    """Why checks made at a period's end had nothing to judge: no period in scope ended before the check day."""
    periods = f.measures["periods_in_scope"]
    if periods.filter(pl.col("ended")).height:
        return None
    if periods.height:
        return f"период заканчивается {short_date(periods['end_date'].max())}, не раньше даты проверки"
    return "в проверенные даты не закончился ни один отчётный период"


def keeps_marks(f: Findings) -> bool:
    """Whether the scope holds lessons of grades that keep marks; grade 1 alone keeps none."""
    return bool(_coverage(f)["lessons_with_marks"])


def _timely(f: Findings, norms: dict[str, Any]) -> list[str]:
    out = []
    m = _timeliness(f, "mark")
    if m:  # every deadline the share was measured against, as the metric's description gives them
        out.append(f"Из {counted(m['entries'], 'отметки', 'отметок', 'отметок')} в срок "
                   f"({norm_words(norms)['deadlines']}) выставлено "
                   f"{share(m['share_within_deadline'])}, в день урока — {share(m['share_on_lesson_day'])}.")
        if m["possibly_late"]:
            out.append(f"Для {counted(m['possibly_late'], 'отметки', 'отметок', 'отметок')} электронный журнал не "
                       "сообщает время выставления, известна лишь дата загрузки данных: выставлены ли они в срок, "
                       "установить нельзя. В доле отметок, выставленных в срок, они не учтены как своевременные "
                       "(доля — не меньше указанной), в нарушения не включены.")
    parts = []
    for item, what in (("topic", "темы"), ("homework", "домашние задания"), ("attendance", "посещаемость")):
        t = _timeliness(f, item)
        if t:
            parts.append(f"{what} — {share(t['share_on_lesson_day'])}")
    if parts:
        out.append("В день урока внесены: " + "; ".join(parts) + ".")
    return out


def _density(f: Findings, norms: dict[str, Any]) -> list[str]:
    c = _coverage(f)
    j = norms["journal"]
    return [f"На {share(c['marks_norm_share'])} из {counted(c['ordinary_lessons'], 'обычного урока', 'обычных уроков', 'обычных уроков')} "
            f"(без контрольных работ) отметки получили не меньше {share(j['lesson_marked_share'], 0)} присутствовавших "
            f"учащихся. Норма накопляемости у ученика — отметки не меньше чем на {share(j['student_marked_share'], 0)} "
            f"посещённых уроков; минимум отметок для аттестации зависит от недельных часов предмета."]


def _control(f: Findings, norms: dict[str, Any]) -> list[str]:
    days = norms["journal"]["control_work_grace_days"]
    words = norm_words(norms)
    held = f.measures["assessment_schedule"].height
    full_row = (f"Проверено, что через {counted(days, 'день', 'дня', 'дней')} после контрольной работы отметку за "
                "неё имеет каждый присутствовавший на ней ученик.")
    schedule = (f"Проведено {counted(held, 'оценочная процедура', 'оценочные процедуры', 'оценочных процедур')} "
                "(уроки с отметками за контрольные работы). График сверен с рекомендациями Минпросвещения России и "
                f"Рособрнадзора: по предмету в классе (группе) не чаще 1 раза в {words['assessment_interval']}, не "
                f"больше {words['assessment_share']} уроков предмета за период, не на первом и последнем уроке дня "
                f"(кроме предметов с нагрузкой {words['assessment_exempt_hours']} и меньше).")
    return [full_row, schedule]


def _objectivity(f: Findings, norms: dict[str, Any]) -> list[str]:
    r = norms["rounding"]
    if period_not_ended(f):  # nothing was compared: the section says why
        return []
    return ["Отметка за период сверена со средневзвешенным баллом, округлённым по порогам "
            f"{number(r['to_3'], 2)} / {number(r['to_4'], 2)} / {number(r['to_5'], 2)}, — и сейчас, и на момент "
            "её выставления: отметки, внесённые, изменённые или удалённые после неё, названы, если из-за них "
            "средневзвешенный округляется иначе (время внесения берётся из журнала, а где его нет — из загрузок)."]


def _invalid(f: Findings, norms: dict[str, Any]) -> list[str]:
    found = f.invalid
    if not found:
        return ["Записей, внесённых учётными записями после сообщения о компрометации, в проверяемом периоде нет."]
    kinds = "; ".join(f"{kind} — {number(n)}" for kind, n in found.by_kind.items())
    return [f"По п. 4.4 регламента операции, произведённые учётной записью с момента получения директором сведений "
            f"о компрометации (п. 4.3), недействительны. Таких записей в проверяемом периоде "
            f"{number(found.total)} ({kinds}). Все показатели справки рассчитаны без них: в журнале они считаются "
            "невнесёнными. Их перечень — в таблице ниже."]


def _period_marks(f: Findings, norms: dict[str, Any]) -> list[str]:
    if period_not_ended(f):  # period marks of a period still running are not the check's to count
        return []
    periods = f.measures["periods_in_scope"]
    results = f.measures["results_summary"].filter(pl.col("dimension") == "school").join(
        periods.select("period_id", "period_name", "grade_from", "grade_to", "end_date"), on="period_id", how="left")
    several = results.height > 1  # a справка over dates: each period's figures under its name
    out = []
    for row in results.sort("end_date", "grade_from").iter_rows(named=True):
        head = f"{row['period_name']} ({row['grade_from']}–{row['grade_to']} классы). " if several else ""
        exempt = (f"; «осв» — {number(row['n_exempt'])}, в расчёт показателей не входят" if row["n_exempt"] else "")
        out.append(f"{head}Отметок за период в расчёте показателей: {number(row['n'])}, из них «5» — {number(row['n5'])}, "
                   f"«4» — {number(row['n4'])}, «3» — {number(row['n3'])}, «2» — {number(row['n2'])}, "
                   f"«н/а» — {number(row['n_na'])}{exempt}. "
                   f"Успеваемость {percent(row['success_pct'])}, качество {percent(row['quality_pct'])}, "
                   f"СОУ {percent(row['sou_pct'])}, средняя отметка за период {number(row['avg_period_mark'], 2)}. "
                   + _results_change(row))
    if not out:
        out.append("Отметок за период в проверяемом интервале нет.")
    return out


def _results_change(row: dict[str, Any]) -> str:
    """The change against the previous period (same kind and grade band), as the deck's tiles show it; the
    first period the warehouse holds has none, and the справка says so rather than leave it unsaid."""
    if row["prev_success_pct"] is None and row["prev_students"]:  # queries.access.small_previous_cleared
        return ("Сравнение с предыдущим периодом не приводится: в нём отметки за период есть у меньшего числа "
                "учеников, чем допускают обезличенные данные.")
    if row["prev_success_pct"] is None:
        return "Сравнение с предыдущим периодом не приводится: его отметок за период в хранилище нет."
    return (f"К предыдущему периоду: успеваемость {points(row['success_change'])}, качество "
            f"{points(row['quality_change'])}, СОУ {points(row['sou_change'])}")  # «п. п.» ends the sentence


def _programme(f: Findings, norms: dict[str, Any]) -> list[str]:
    return ["Число проведённых уроков сверено с календарно-тематическим планированием на дату проверки."]


def _parents(f: Findings, norms: dict[str, Any]) -> list[str]:
    m = _timeliness(f, "mark")
    out = []
    if m:
        out.append(f"Отметки доступны родителям в электронном дневнике не позже суток после урока (прил. 3 п. 3) "
                   f"в {share(m['share_within_day'])} случаев.")
    out.append("Сведения о пропуске урока при выставленной отметке должны оставаться в комментарии (п. 2.9).")
    return out


SECTIONS: tuple[Section, ...] = (
    Section("Полнота заполнения: темы уроков, домашние задания, посещаемость",
            ("topic_missing", "homework_missing", "attendance_unmarked", "substitution_unrecorded",
             "topic_plan_mismatch"), _filling),
    Section("Своевременность заполнения",
            ("topic_late", "homework_late", "attendance_late", "mark_late", "mark_spree",
             "mark_entered_before_lesson"), _timely),
    Section("Накопляемость отметок", ("lesson_marks_density", "student_marks_density", "too_few_marks"), _density),
    Section("Контрольные работы: полный ряд отметок и график оценочных процедур",
            ("control_work_incomplete", "assessment_too_frequent", "assessment_share_high", "assessment_day_edge"),
            _control),
    Section("Объективность отметок", ("period_mark_mismatch", "period_mark_basis_changed", "two_after_absence",
                                      "two_not_corrected", "two_in_a_row"), _objectivity),
    Section("Отметки за период и «н/а»", ("period_mark_missing", "period_mark_late", "na_risk"), _period_marks),
    Section("Выполнение программы", ("programme_delivery",), _programme),
    Section("Информирование родителей", ("mark_on_absence_no_comment",), _parents),
    Section("Недействительные записи (п. 4.3–4.4)", ("entry_after_compromise",), _invalid),
)
INVALID_SECTION = len(SECTIONS)  # its number in the справка


@dataclass(frozen=True)
class SpravkaOptions:
    """What the deputy chooses: date of the check, who signs, the school's wording."""

    date: dt.date
    signer: str | None = None  # «Фамилия И. О.»; default: the first deputy for teaching (УВР) in the warehouse
    templates: dict[str, Any] = field(default_factory=load_templates)
    norms: dict[str, Any] = field(default_factory=load_norms)


@dataclass(frozen=True)
class Spravka:
    document: Document
    findings: Findings
    names: Names
    options: SpravkaOptions
    named_teachers: tuple[str, ...]  # every teacher the справка names (the «ознакомлены» list)
    violators: tuple[str, ...]  # teachers with a breach of the regulation (personal recommendations)
    exemplary: tuple[str, ...]  # teachers without any breach of the regulation
    period: str  # «1 семестр 2025/2026 учебного года» or «период с … по …», as the title says it


def build(con: duckdb.DuckDBPyConnection, scope: queries.Scope, options: SpravkaOptions) -> Spravka:
    """The справка for `scope` as of `options.date` (the scope's as_of is the check date)."""
    # a справка is one school's (its heading, signer, teachers): dates alone name the warehouse's only school
    school_id = scope.school_id or (None if scope.period_id else queries.school_of(con, None))
    scope = queries.Scope(**{**vars(scope), "as_of": options.date, "school_id": school_id})
    f = findings(con, scope, options.norms)
    names = Names(directory(con, f.scope.school_id))
    _refuse_nothing_to_check(f, names)
    return _Builder(f, names, options, _own_classes(con, names, f.scope)).build()


def _own_classes(con: duckdb.DuckDBPyConnection, names: Names, scope: ResolvedScope) -> tuple[str, ...] | None:
    """A class or subject teacher's справка covers only their classes (the restricted connection of
    queries.access): their names, for the «Объект» line; None for a whole-school access."""
    if not access_of(con).by_units:
        return None
    groups = names.directory.groups.filter(pl.col("grade").is_between(scope.grade_from, scope.grade_to))
    classes = groups.filter(pl.col("kind") == "class")
    return tuple((classes if classes.height else groups)["name"].to_list())


def _refuse_nothing_to_check(f: Findings, names: Names) -> None:
    """A scope without one held lesson up to the check day would sign «Проверено 0 уроков», «—» shares and
    «не выявлено» everywhere: refused in words (a check dated before its period is refused by
    queries.scope.resolve)."""
    s = f.scope
    if not _coverage(f)["lessons_held"]:
        whose = f" (учитель — {names.person(s.teacher_id)})" if s.teacher_id else ""
        raise queries.ScopeError(
            f"с {short_date(s.date_from)} по {short_date(s.checked_to)} в журнале нет ни одного проведённого "
            f"урока{whose}: справку составить не по чему; выберите другой период, даты или учителя")


def personal_breaches(f: Findings, teacher_id: str, norms: dict[str, Any]) -> str:
    """«не записана тема урока — 5; …»: a teacher's breaches of the regulation with their case counts,
    labelled with the school's norms («тема записана позже чем через 1 день после урока»)."""
    cases = f.teacher_cases(teacher_id)
    order = list(FINDINGS)
    return "; ".join(f"{finding_label(n, norms)} — {number(c)}"
                     for n, c in sorted(cases.items(), key=lambda kv: order.index(kv[0])) if FINDINGS[n].personal)


def fix_deadline(options: SpravkaOptions) -> dt.date:
    """Check date + the school's days to fix (templates [spravka].fix_days)."""
    return options.date + dt.timedelta(days=int(options.templates["spravka"]["fix_days"]))


class _Builder:
    def __init__(self, f: Findings, names: Names, options: SpravkaOptions,
                 own_classes: tuple[str, ...] | None = None) -> None:
        self.f, self.names, self.opt, self.own_classes = f, names, options, own_classes
        self.t = options.templates
        self.named: set[str] = set()

    def label(self, name: str) -> str:
        return finding_label(name, self.opt.norms)

    def teacher(self, teacher_id: str) -> str:
        self.named.add(teacher_id)
        return self.names.person(teacher_id)

    def teachers_sorted(self, ids: list[str]) -> list[str]:
        return sorted(ids, key=self.names.sort_key)

    def period_text(self) -> str:
        s = self.f.scope
        if s.period_id:
            return self.names.period_phrase(s.period_id)
        return f"период с {short_date(s.date_from)} по {short_date(s.date_to)}"

    def build(self) -> Spravka:
        s = self.f.scope
        signer = self.opt.signer or self.names.staff("заместитель директора по учеб") or "________________"
        doc = Document(title=f"Справка по итогам проверки ведения электронного журнала за {self.period_text()}",
                       date=self.opt.date, author=signer)
        sp = self.t["spravka"]
        year = self.names.year_of(s.date_from)
        doc.add(
            Paragraph(self.names.school_full_name, "center"),
            Paragraph("СПРАВКА", "title"),
            Paragraph(f"по итогам проверки ведения электронного журнала за {self.period_text()}", "subtitle"),
            Paragraph(long_date(self.opt.date), "right"),
            Paragraph(f"Основание: {sp['basis'].format(year=year, period=self.period_text(), school=self.names.school_name)}"),
            Paragraph(f"Вид контроля: {sp['control_kind_teacher' if s.teacher_id else 'control_kind']}"),
            Paragraph(f"Цель: {sp['goal']}"),
            Paragraph(f"Сроки проверки: {self.checked_range()}, проверка проведена {short_date(self.opt.date)}."
                      + self.entries_after_check() + self.journal_state()),
            Paragraph(f"Объект: {self.object_text()}"),
            Paragraph(f"Методы: {sp['methods']}"),
            Paragraph("В ходе проверки установлено", "heading"),
        )
        if self.f.invalid:
            doc.add(Paragraph(
                f"Записей журнала, внесённых после сообщения о компрометации учётной записи: "
                f"{number(self.f.invalid.total)}. По п. 4.4 регламента они недействительны: все показатели справки "
                f"рассчитаны без них (перечень — в разделе {INVALID_SECTION}).", "note"))
        for number_, section in enumerate(SECTIONS, 1):
            self.section(doc, number_, section)
        self.causes(doc)
        self.conclusions(doc)
        self.recommendations(doc)
        doc.add(Signature(sp["signer_position"], signer))
        self.acknowledgement(doc)
        return Spravka(doc, self.f, self.names, self.opt, tuple(self.teachers_sorted(list(self.named))),
                       tuple(self.violators()), tuple(self.exemplary()), self.period_text())

    def checked_range(self) -> str:
        """The journal's dates the check could see: a check inside the period sees it up to the check day."""
        s, day = self.f.scope, self.opt.date
        if day >= s.date_to:
            return f"данные журнала с {short_date(s.date_from)} по {short_date(s.date_to)}"
        return (f"данные журнала с {short_date(s.date_from)} по {short_date(day)} "
                f"(проверяемый период — по {short_date(s.date_to)})")

    def entries_after_check(self) -> str:
        """A справка dated back: how many entries for the checked dates were made after the check day."""
        row = self.f.measures["entries_after_check"].row(0, named=True)
        kinds = (("marks", "отметок"), ("period_marks", "отметок за период"), ("topics", "тем уроков"),
                 ("roll_calls", "отметок посещаемости"), ("homework", "домашних заданий"))
        parts = [f"{what} — {number(row[k])}" for k, what in kinds if row[k]]
        if not parts:
            return ""
        return (f" После даты проверки в журнал внесено к проверенным урокам и периодам: {'; '.join(parts)}; "
                "справка учитывает эти записи с датами их внесения (внесённые позже срока — как поздние).")

    def journal_state(self) -> str:
        """Which state of the journal the figures read: the warehouse holds it as last loaded, not as it stood on
        the check day, so a справка printed again after new loads may differ; the text says from which load it
        is and what was removed or changed in the journal since the check day (queries/documents/journal_state.sql)."""
        row = self.f.measures["journal_state"].row(0, named=True)
        loaded: dt.datetime = row["last_loaded_at"]
        text = (f" Справка составлена по данным журнала, загруженным в программу «Завуч» {short_date(loaded.date())} "
                f"в {loaded:%H:%M}; записи, внесённые в журнал позже, в ней не учтены.")
        last_day = min(self.f.scope.date_to, self.opt.date)
        if loaded.date() <= last_day:
            text += (f" Загрузка сделана раньше конца проверенных дат (по {short_date(last_day)}): записи к урокам "
                     f"с {short_date(loaded.date())}, внесённые после неё, справка не видит.")
        parts = []
        if row["marks_deleted"]:
            parts.append(f"удалено отметок — {number(row['marks_deleted'])} (на дату проверки они в журнале были, "
                         "справка их не учитывает)")
        if row["marks_changed"]:
            parts.append(f"изменено отметок — {number(row['marks_changed'])} (справка учитывает новые значения)")
        if parts:
            text += f" После даты проверки в журнале к проверенным урокам {'; '.join(parts)}."
        return text

    def object_text(self) -> str:
        """What was checked; a check of one teacher says whose entries, since every figure is theirs only."""
        sp, s = self.t["spravka"], self.f.scope
        if s.teacher_id:
            text = sp["object_teacher"].format(classes=self.classes_text(), teacher=self.teacher(s.teacher_id))
            return text if text.endswith(".") else text + "."
        return sp["object"].format(classes=self.classes_text())

    def classes_text(self) -> str:
        s = self.f.scope
        if s.group_id:  # a subgroup («2А Англ. яз. 1 гр.») is not a «класс»
            name = self.names.group(s.group_id)
            return f"{name} класса" if self.names.is_class(s.group_id) else f"группы «{name}»"
        if self.own_classes is not None:  # not «2–9 классов» when only 5А is checked
            return self.classes_named(self.own_classes)
        if s.teacher_id:  # one teacher's check: the classes they taught, not the period's grade band
            checked = self.f.measures["classes_checked"]["class_id"].to_list()
            if checked:
                return self.classes_named([self.names.group(c) for c in checked])
        if s.grade_from == s.grade_to:
            return f"{s.grade_from}-х классов"
        return f"{s.grade_from}–{s.grade_to} классов"

    @staticmethod
    def classes_named(names: Sequence[str]) -> str:
        return f"{', '.join(names)} {'класса' if len(names) == 1 else 'классов'}"

    # -- findings sections

    def section(self, doc: Document, n: int, section: Section) -> None:
        doc.add(Paragraph(f"{n}. {section.title}", "subheading"))
        if not keeps_marks(self.f):  # grade 1: no «не выявлено» for marks nobody was to give
            section = replace(section, findings=tuple(x for x in section.findings if not FINDINGS[x].marks))
            if not section.findings:
                min_grade = self.opt.norms["control"]["min_grade"]
                doc.add(Paragraph(f"Не проверялось: в проверенных классах (младше {min_grade}-го) отметки не "
                                  "выставляются."))
                return
        waiting = period_not_ended(self.f)
        later = [x for x in section.findings if FINDINGS[x].after_period] if waiting else []
        if later:  # not «не выявлено»: nobody could have them yet
            section = replace(section, findings=tuple(x for x in section.findings if x not in later))
        for text in section.narrative(self.f, self.opt.norms):
            doc.add(Paragraph(text))
        for name in section.findings:
            doc.add(Paragraph(self.finding_sentence(name)))
        if later:
            what = "; ".join(self.label(x) for x in later)
            doc.add(Paragraph(f"Не проверялось ({what}): {waiting}."))
        course = [n_ for n_ in section.findings if FINDINGS[n_].table == "course" and self.f.count(n_)]
        if course:
            doc.add(self.course_table(course))
        per_teacher = [n_ for n_ in section.findings if FINDINGS[n_].table == "teacher" and self.f.count(n_)]
        if per_teacher:
            doc.add(self.teacher_table(per_teacher))
        for name in section.findings:
            if FINDINGS[name].table == "own" and self.f.count(name):
                doc.add(getattr(self, f"table_{name}")())
        clean = self.teachers_sorted(self.f.teachers_without(section.findings))
        if clean:
            # every finding of the section counts here, measured risks too: «замечаний», not «нарушений»
            doc.add(Paragraph(f"Замечаний по разделу нет у {one_or_many(len(clean), 'учителя', 'учителей')}: "
                              + names_sentence(self.teacher(t) for t in clean), "note"))

    def finding_sentence(self, name: str) -> str:
        cases, label = self.f.count(name), self.label(name)
        label = label[0].upper() + label[1:]
        if not cases:
            return f"{label}: не выявлено."
        per = self.f.by_teacher.filter(pl.col("finding") == name)
        who = [(self.names.sort_key(t), self.teacher(t), c) for t, c in per.select("teacher_id", "cases").iter_rows()
               if t is not None]
        listed = ", ".join(f"{n_} ({number(c)})" for _, n_, c in sorted(who))
        return f"{label}: {self.cases_text(name)}" + (
            f"; {one_or_many(len(who), 'учитель', 'учителя')}: {listed}." if listed else ".")

    def cases_text(self, name: str) -> str:
        """«3 урока»; a finding per student and subject counts students, with its cases when they differ:
        «1 ученик (12 случаев по предметам)», not «12 учеников» for one pupil missing half of 12 subjects."""
        info, cases = FINDINGS[name], self.f.count(name)
        if not info.per_subject or self.f.students(name) == cases:
            return counted(cases, *info.unit)
        return (f"{counted(self.f.students(name), *info.unit)} "
                f"({counted(cases, 'случай', 'случая', 'случаев')} по предметам)")

    def course_table(self, names_: list[str]) -> Table:
        rows = self.f.by_course.filter(pl.col("finding").is_in(names_))
        body = []
        for r in rows.iter_rows(named=True):
            body.append(((self.names.sort_key(r["teacher_id"]), self.names.group(r["group_id"]),
                          self.names.subject(r["subject_id"]), names_.index(r["finding"])),
                         (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]), self.names.subject(r["subject_id"]),
                          self.label(r["finding"]), number(r["cases"]), date_list(r["dates"]))))
        return Table((Column("Учитель", 20), Column("Класс", 10), Column("Предмет", 18), Column("Нарушение", 24),
                      Column("Случаев", 9, "R"), Column("Даты", 30)),
                     tuple(row for _, row in sorted(body)))

    def teacher_table(self, names_: list[str]) -> Table:
        rows = self.f.by_teacher.filter(pl.col("finding").is_in(names_))
        body = sorted(((self.names.sort_key(t), names_.index(fn)), (self.teacher(t), self.label(fn), number(c)))
                      for fn, t, c in rows.select("finding", "teacher_id", "cases").iter_rows())
        return Table((Column("Учитель", 25), Column("Нарушение", 60), Column("Случаев", 15, "R")),
                     tuple(row for _, row in body))

    def student(self, student_id: str) -> str:
        return self.names.person(student_id)

    def table_mark_spree(self) -> Table:
        rows = self.f.cases["mark_spree"].sort("event_date", "teacher_id")
        return Table((Column("Учитель", 30), Column("Дата выставления", 20), Column("Отметок", 15, "R"),
                      Column("За уроки с … по …", 35)),
                     tuple((self.teacher(r["teacher_id"]), short_date(r["event_date"]), number(r["marks"]),
                            f"{short_date(r['oldest_lesson_date'])} – {short_date(r['newest_lesson_date'])}")
                           for r in rows.iter_rows(named=True)))

    def _student_rows(self, name: str, extra: Callable[[dict[str, Any]], tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
        body = []
        for r in self.f.cases[name].iter_rows(named=True):
            key = (self.names.sort_key(r["teacher_id"]), self.names.group(r["group_id"]), self.names.subject(r["subject_id"]),
                   self.student(r["student_id"]))
            body.append((key, (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]),
                               self.names.subject(r["subject_id"]), self.student(r["student_id"]), *extra(r))))
        return tuple(row for _, row in sorted(body))

    def table_too_few_marks(self) -> Table:
        return Table((Column("Учитель", 20), Column("Класс", 12), Column("Предмет", 20), Column("Ученик", 20),
                      Column("Отметок", 10, "R"), Column("Нужно", 10, "R"), Column("Отметка за период", 12, "C")),
                     self._student_rows("too_few_marks", lambda r: (
                         number(r["counted_marks"]), number(r["required_marks"]), r["period_mark"] or "—")))

    def table_period_mark_mismatch(self) -> Table:
        return Table((Column("Учитель", 20), Column("Класс", 12), Column("Предмет", 18), Column("Ученик", 20),
                      Column("Средне-взвешенный", 12, "R"), Column("Выставлено", 12, "C"), Column("По среднему", 10, "C")),
                     self._student_rows("period_mark_mismatch", lambda r: (
                         number(r["weighted_avg"], 2), str(r["period_mark"]), str(r["expected_mark"]))))

    def table_period_mark_basis_changed(self) -> Table:
        return Table((Column("Учитель", 16), Column("Класс", 8), Column("Предмет", 14), Column("Ученик", 16),
                      Column("Выставлено", 14, "C"), Column("Средний тогда", 11, "R"), Column("Средний сейчас", 11, "R"),
                      Column("Внесено / изменено / удалено после", 14, "C")),
                     self._student_rows("period_mark_basis_changed", lambda r: (
                         f"{r['period_mark']} ({short_date(r['period_mark_set_at'])})",
                         number(r["avg_when_set"], 2) if r["avg_when_set"] is not None else "—",
                         number(r["weighted_avg"], 2),
                         f"{r['marks_entered_after']} / {r['marks_changed_after']} / {r['marks_deleted_after']}")))

    def table_na_risk(self) -> Table:
        return Table((Column("Учитель", 20), Column("Класс", 12), Column("Предмет", 18), Column("Ученик", 20),
                      Column("Уроков", 10, "R"), Column("Пропущено", 10, "R"), Column("Доля", 10, "R")),
                     self._student_rows("na_risk", lambda r: (
                         number(r["lessons"]), number(r["absences"]), share(r["absence_share"]))))

    def table_control_work_incomplete(self) -> Table:
        body = []
        for r in self.f.cases["control_work_incomplete"].iter_rows(named=True):
            students = ", ".join(sorted(self.student(s) for s in r["unmarked_students"]))
            body.append(((self.names.sort_key(r["teacher_id"]), r["event_date"]),
                         (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]), self.names.subject(r["subject_id"]),
                          short_date(r["event_date"]), students)))
        return Table((Column("Учитель", 20), Column("Класс", 12), Column("Предмет", 18), Column("Дата", 12),
                      Column("Нет отметки у учеников", 38)), tuple(row for _, row in sorted(body)))

    def table_assessment_too_frequent(self) -> Table:
        body = []
        for r in self.f.cases["assessment_too_frequent"].iter_rows(named=True):
            body.append(((self.names.sort_key(r["teacher_id"]), r["event_date"], r["group_id"]),
                         (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]),
                          self.names.subject(r["subject_id"]), short_date(r["previous_assessment_date"]),
                          short_date(r["event_date"]), number(r["days_since_previous"]))))
        return Table((Column("Учитель", 20), Column("Класс (группа)", 16), Column("Предмет", 18),
                      Column("Предыдущая", 14), Column("Процедура", 14), Column("Дней между", 12, "R")),
                     tuple(row for _, row in sorted(body)))

    def table_assessment_share_high(self) -> Table:
        body = []
        for r in self.f.cases["assessment_share_high"].iter_rows(named=True):
            body.append(((self.names.sort_key(r["teacher_id"]), self.names.group(r["group_id"]), r["subject_id"]),
                         (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]),
                          self.names.subject(r["subject_id"]), number(r["assessment_lessons"]),
                          number(r["lessons_held"]), share(r["assessment_share"]), date_list(r["assessment_dates"]))))
        return Table((Column("Учитель", 18), Column("Класс (группа)", 14), Column("Предмет", 16),
                      Column("Уроков процедур", 10, "R"), Column("Проведено уроков", 10, "R"),
                      Column("Доля", 9, "R"), Column("Даты процедур", 23)), tuple(row for _, row in sorted(body)))

    def table_entry_after_compromise(self) -> Table:
        body = []
        for r in self.f.cases["entry_after_compromise"].iter_rows(named=True):
            what = r["value_raw"] or r["text"] or ""
            body.append(((r["entered_at"], r["kind"], r["entry_id"]),
                         (self.teacher(r["teacher_id"]), r["kind"], self.names.group(r["class_id"]),
                          self.names.subject(r["subject_id"]),
                          self.student(r["student_id"]) if r["student_id"] else "—",
                          short_date(r["event_date"]), what,
                          f"{short_date(r['entered_at'])} {r['entered_at']:%H:%M}")))
        # «Значение» holds a topic's text too: wide enough for its words («Спортивные», «закрепление»)
        return Table((Column("Учётная запись", 15), Column("Запись", 13), Column("Класс", 7), Column("Предмет", 13),
                      Column("Ученик", 16), Column("Урок / период", 11), Column("Значение", 14),
                      Column("Внесена", 11)), tuple(row for _, row in sorted(body)))

    def table_programme_delivery(self) -> Table:
        body = []
        for r in self.f.cases["programme_delivery"].iter_rows(named=True):
            body.append(((self.names.sort_key(r["teacher_id"]), self.names.group(r["group_id"]), r["subject_id"]),
                         (self.teacher(r["teacher_id"]), self.names.group(r["group_id"]), self.names.subject(r["subject_id"]),
                          number(r["ktp_hours_planned"], 0), number(r["lessons_held"]), number(r["lag_lessons"], 0),
                          share(r["delivery_share"]))))
        return Table((Column("Учитель", 20), Column("Класс (группа)", 16), Column("Предмет", 18),
                      Column("По КТП", 10, "R"), Column("Проведено", 11, "R"), Column("Отставание", 11, "R"),
                      Column("Выполнено", 11, "R")), tuple(row for _, row in sorted(body)))

    # -- closing sections

    def causes(self, doc: Document) -> None:
        causes = [text for name, text in self.t["causes"].items() if name in self.f.cases and self.f.count(name)]
        doc.add(Paragraph("Основные причины нарушений", "heading"))
        if causes:
            for i, text in enumerate(causes, 1):
                doc.add(Paragraph(f"{i}) {text};" if i < len(causes) else f"{i}) {text}."))
        else:
            doc.add(Paragraph("Нарушений не выявлено."))

    def violators(self) -> list[str]:
        personal = tuple(n for n, info in FINDINGS.items() if info.personal)
        return self.teachers_sorted([t for t in self.f.teachers_with(personal) if t is not None])

    def exemplary(self) -> list[str]:
        """Teachers without any breach of the regulation (measured risks aside)."""
        personal = tuple(n for n, info in FINDINGS.items() if info.personal)
        return self.teachers_sorted(self.f.teachers_without(personal))

    def conclusions(self, doc: Document) -> None:
        doc.add(Paragraph("Выводы", "heading"))
        bad = self.violators()
        if bad:
            doc.add(Paragraph("Электронный журнал ведётся с нарушениями регламента. Нарушения допущены "
                              f"{one_or_many(len(bad), 'учителем', 'учителями')}: "
                              + names_sentence(self.teacher(t) for t in bad)))
        else:
            doc.add(Paragraph("Электронный журнал ведётся в соответствии с регламентом; нарушений не выявлено."))
        good = self.exemplary()
        if good:
            # measured risks (накопляемость, «2» patterns) are remarks the sections list, not breaches
            doc.add(Paragraph(f"Отметить работу {one_or_many(len(good), 'учителя, ведущего', 'учителей, ведущих')} "
                              "журнал без нарушений регламента: " + names_sentence(self.teacher(t) for t in good)))

    def recommendations(self, doc: Document) -> None:
        deadline = fix_deadline(self.opt)
        doc.add(Paragraph("Рекомендации", "heading"))
        words = norm_words(self.opt.norms)  # the deadlines as the findings above word them
        for i, text in enumerate(self.t["recommendations"]["general"], 1):
            doc.add(Paragraph(f"{i}. {text.format(**words)}"))
        bad = self.violators()
        if not bad:
            return
        doc.add(Paragraph(f"Персонально: устранить выявленные нарушения до {short_date(deadline)}:"))
        rows = tuple((self.teacher(t), personal_breaches(self.f, t, self.opt.norms), short_date(deadline)) for t in bad)
        doc.add(Table((Column("Учитель", 22), Column("Устранить", 62), Column("Срок", 16, "C")), tuple(rows)))

    def acknowledgement(self, doc: Document) -> None:
        doc.add(Paragraph("Со справкой ознакомлены:", "subheading"))
        rows = tuple((str(i), self.names.person(t), "", "") for i, t in enumerate(self.teachers_sorted(list(self.named)), 1))
        doc.add(Table((Column("№", 6, "R"), Column("Учитель", 44), Column("Подпись", 25), Column("Дата", 25)), rows))
