"""Elschool: the «Табель успеваемости» page (saved from a browser) and its «Выгрузить в Excel» export.

Each mark is `<span class="mark-span" data-popover-content="Дата урока: dd.mm.yyyy<p>Дата
проставления: dd.mm.yyyy">4</span>` inside the column of its period (data-formats §6.1). The lesson
date makes the lesson (one per subject and day: the page names no lesson ids or teachers), the entry
date is the mark's entered_at at date precision. The Excel export is the same table copied into an
HTML `.xls`; when a tool stripped the popovers the dates are gone and the file is refused.

One page is one student, so the extract is a delta: it never marks other students' rows deleted.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from etl.adapters.base import AdapterError, Extract, ImportOptions, ensure_school_calendar, grade_of, ru_date, sid, split_fio
from etl.adapters.pages import cell_text, no_table, read_page

SYSTEM = "elschool"
ENTERED_AT_SOURCE = "elschool:Дата проставления"
_POPOVER = re.compile(r"Дата урока:\s*([^<\s]+).*?Дата проставления:\s*([^<\s\"]+)", re.S)


class ElschoolAdapter:
    system = SYSTEM
    title = "Elschool: страница «Табель успеваемости» (.html) или её выгрузка в Excel (.xls)"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        root, data = read_page(source)
        table = _grades_table(root, source.name)
        ids = _page_ids(root)
        ex = Extract(SYSTEM, "delta", raw={f"elschool/{source.name}": data})
        ex.manifest["source_file"] = source.name

        school_name = options.school_name or _first_text(root, '//a[@data-type="Institute"]/span')
        if not school_name:
            raise AdapterError(f"{source.name}: на странице нет названия школы; укажите его: --school-name")
        school = sid(SYSTEM, ids.get("instituteId", "school"))
        class_name = options.class_name or _class_name(root)
        grade = options.grade or grade_of(class_name or "")
        if not class_name or grade is None:
            raise AdapterError(
                f"{source.name}: на странице не найден класс с номером параллели; укажите: --class и --grade"
            )
        student_name = options.student_name or _first_text(root, '//div[contains(@class,"DivForGradesTable")]/h4')
        last, first, middle = split_fio(student_name or "")
        if not last:
            raise AdapterError(f"{source.name}: на странице нет ФИО ученика (заголовок над таблицей); укажите: --student")
        pupil = ids.get("pupilId") or student_name
        student = sid(SYSTEM, "pupil", pupil)

        marks = list(_marks(table, source.name))
        if not marks:
            raise AdapterError(
                f"{source.name}: в таблице нет отметок с датами урока и проставления "
                "(в выгрузке в Excel даты могли потеряться: загрузите сохранённую страницу «Табель успеваемости»)"
            )
        years = ensure_school_calendar(ex, school, [m[2] for m in marks])
        year_id = years[min(years)]
        ex.add("schools", {"id": school, "name": school_name, "timezone": options.zone})
        group = sid(SYSTEM, "class", ids.get("departmentId", class_name))
        ex.add("groups", {"id": group, "school_id": school, "academic_year_id": year_id, "name": class_name,
                          "kind": "class", "grade": grade})
        ex.add("people", {"id": student, "school_id": school, "role": "student", "last_name": last,
                          "first_name": first, "middle_name": middle})
        first_day = min(m[2] for m in marks)
        ex.add("memberships", {"id": sid(SYSTEM, "member", group.split(":", 1)[1], pupil), "group_id": group,
                               "student_id": student, "valid_from": min(first_day, date(min(years), 9, 1))})
        seq: dict[tuple[str, date], int] = {}
        for subject_name, period, lesson_day, entered_day, value, where in marks:
            ex.place = where
            subject = sid(SYSTEM, ids.get("instituteId", "school"), "subject", subject_name)
            ex.add_once("subjects", {"id": subject, "school_id": school, "name": subject_name})
            lesson = sid(SYSTEM, "lesson", group.split(":", 1)[1], subject_name, lesson_day.isoformat())
            ex.add_once("lessons", {"id": lesson, "group_id": group, "subject_id": subject,
                                    "lesson_date": lesson_day, "status": "held"})
            n = seq[(subject_name, lesson_day)] = seq.get((subject_name, lesson_day), 0) + 1
            ex.add("marks", {"id": sid(SYSTEM, "mark", pupil, subject_name, lesson_day.isoformat(), n),
                             "student_id": student, "lesson_id": lesson, "value": value,
                             "entered_at": entered_day, "entered_at_source": ENTERED_AT_SOURCE,
                             "comment": None})
        ex.place = None
        return ex


def _grades_table(root, name: str):
    tables = root.xpath('//table[@id="grades-table"]') or root.xpath('//table[.//th[normalize-space()="Предмет"]]')
    if not tables:
        raise no_table(root, name, "таблица «Табель успеваемости» (заголовок «Предмет»)", "Elschool")
    return tables[0]


def _marks(table, name: str):
    """(subject, period name, lesson date, entry date, value, place on the page) for every mark span, in
    page order."""
    header = [cell_text(th) for th in table.xpath(".//thead//th | .//tr[1]/th")]
    periods = [h for h in header if h and h not in ("Предмет", "Сред балл")]
    undated: list[str] = []  # marks whose popover lacks the two dates
    dated = False
    rows_of: dict[str, int] = {}
    for row_no, tr in enumerate(table.xpath(".//tbody/tr | ./tr[td]"), start=1):
        subject_cells = tr.xpath('./td[contains(@class,"grades-lesson") and not(contains(@class,"number"))]')
        if not subject_cells:
            continue
        subject = cell_text(subject_cells[0])
        if subject in rows_of:  # the same marks twice would double the subject's marks
            raise AdapterError(f"{name}: предмет «{subject}» дважды в таблице (строки {rows_of[subject]} и {row_no}); "
                               "сохраните страницу заново")
        rows_of[subject] = row_no
        for col, td in enumerate(tr.xpath('./td[contains(@class,"grades-marks")]')):
            period = periods[col] if col < len(periods) else f"{col + 1}"
            for span in td.xpath('.//span[contains(@class,"mark-span")]'):
                where = f"{name}: «{subject}», {period}, отметка «{cell_text(span)}» (строка таблицы {row_no})"
                m = _POPOVER.search(span.get("data-popover-content") or "")
                if not m:
                    undated.append(where)
                    continue
                dated = True
                value = cell_text(span)
                if not value:
                    raise AdapterError(f"{where}: пустая отметка")
                yield subject, period, ru_date(m.group(1), where), ru_date(m.group(2), where), value, where
    if dated and undated:  # all undated is the stripped Excel export, refused by the caller in its own words
        raise AdapterError(f"{undated[0]}: в подсказке нет «Дата урока: ДД.ММ.ГГГГ … Дата проставления: ДД.ММ.ГГГГ» "
                           f"(таких отметок: {len(undated)}); страница другой версии Elschool?")


def _page_ids(root) -> dict[str, str]:
    """instituteId, departmentId, pupilId from the page's own links (diary / results)."""
    out: dict[str, str] = {}
    for href in root.xpath("//a/@href"):
        for key, value in re.findall(r"(instituteId|departmentId|pupilId)=(\w+)", href):
            out.setdefault(key, value)
    return out


def _class_name(root) -> str | None:
    for a in root.xpath('//a[contains(@href,"/classes/")]'):
        text = cell_text(a)
        if grade_of(text) is not None:
            return text
    return None


def _first_text(root, xpath: str) -> str | None:
    found = root.xpath(xpath)
    return cell_text(found[0]) if found else None
