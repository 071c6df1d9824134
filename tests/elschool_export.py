"""The demo school written out as Elschool «Табель успеваемости» pages (data-formats §6.1), one per pupil.

A page names the school, the class and the pupil (links with instituteId, departmentId, pupilId and the
heading above the table) and, per subject and period column, each mark as
`<span class="mark-span" data-popover-content="Дата урока: …<p>Дата проставления: …">4</span>`. That is
all: no lesson ids, numbers or topics, no teacher, work type or weight, no absences or homework, and a
date, not a time, of entry. `back` maps the adapter's ids to the demo's own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html import escape
from pathlib import Path

from tests.round_trip import Ids, bundle_rows as _rows

INSTITUTE = "501"


def _ru(day: str) -> str:
    return date.fromisoformat(day[:10]).strftime("%d.%m.%Y")


def export_elschool(bundle: Path, out: Path) -> Ids:
    """Write `out/<pupil>.html` for every pupil of the bundle; returns the id map."""
    ids = Ids("elschool")
    back = ids.back
    school = _rows(bundle, "schools")[0]
    back[f"elschool:{INSTITUTE}"] = school["id"]
    groups = {g["id"]: g for g in _rows(bundle, "groups")}
    people = {p["id"]: p for p in _rows(bundle, "people")}
    subjects = {s["id"]: s["name"] for s in _rows(bundle, "subjects")}
    for s, name in subjects.items():
        back[f"elschool:{INSTITUTE}:subject:{name}"] = s
    lessons = {ls["id"]: ls for ls in _rows(bundle, "lessons")}
    periods = [p for p in _rows(bundle, "periods") if p["kind"] != "year"]
    class_of = {m["student_id"]: m["group_id"] for m in _rows(bundle, "memberships")
                if groups[m["group_id"]]["kind"] == "class"}
    marks = defaultdict(list)  # pupil -> (subject, lesson date, entry date, value, canonical id)
    for m in _rows(bundle, "marks"):
        ls = lessons[m["lesson_id"]]
        marks[m["student_id"]].append((subjects[ls["subject_id"]], ls["lesson_date"], m["entered_at"][:10], m["value"],
                                       m["id"]))
    for pupil, own in marks.items():
        cls = groups[class_of[pupil]]
        department, number = ids("class", cls["id"]), ids("pupil", pupil)
        grade = int(cls["grade"])
        columns = sorted((p for p in periods if int(p["grade_from"]) <= grade <= int(p["grade_to"])),
                         key=lambda p: p["start_date"])
        seq: dict[tuple[str, str], int] = defaultdict(int)
        rows = []
        for n, subject in enumerate(sorted({m[0] for m in own}), start=1):
            cells = []
            for p in columns:
                spans = []
                for _, day, entered, value, mark_id in sorted(m for m in own if m[0] == subject and
                                                              p["start_date"] <= m[1] <= p["end_date"]):
                    seq[(subject, day)] += 1  # the adapter numbers a pupil's marks of one subject and day in order
                    back[f"elschool:mark:{number}:{subject}:{day}:{seq[(subject, day)]}"] = mark_id
                    spans.append(f'<span class="mark-span" data-html="true" data-popover-content="Дата урока: '
                                 f'{_ru(day)}<p>Дата проставления: {_ru(entered)}">{escape(value)}</span>')
                cells.append(f'<td class="grades-average"></td><td class="grades-marks">{"".join(spans)}</td>')
            rows.append(f'<tr lesson="{n}"><td class="grades-lesson-number">{n}</td>'
                        f'<td class="grades-lesson">{escape(subject)}</td>{"".join(cells)}</tr>')
        link = f"rooId=00&amp;instituteId={INSTITUTE}&amp;departmentId={department}&amp;pupilId={number}"
        fio = " ".join(filter(None, (people[pupil]["last_name"], people[pupil]["first_name"],
                                     people[pupil]["middle_name"])))
        head = "".join(f'<th class="grades-average-th">Сред балл</th><th>{escape(p["name"])}</th>' for p in columns)
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Табель успеваемости</title></head><body>'
            f'<a class="title" href="/districts/00/schools/{INSTITUTE}/classes/{department}"><span>{cls["name"]}</span></a>'
            f'<a class="title" href="/districts/00/schools/{INSTITUTE}" data-type="Institute">'
            f'<span>{escape(school["name"])}</span></a>'
            f'<a href="details?{link}" class="btn">Дневник</a><a href="results?{link}" class="btn">Итоговые</a>'
            '<button type="button" class="btn download-to-excel" data-table-name="grades-table" '
            'data-file-name="Табель успеваемости.xls"></button>'
            f'<div class="DivForGradesTable"><h4 class="text-center">{escape(fio)}</h4>'
            '<table class="table table-bordered GradesTable" id="grades-table">'
            f'<thead><tr><th colspan="2">Предмет</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            '</div></body></html>')
        (out / f"{number}.html").parent.mkdir(parents=True, exist_ok=True)
        (out / f"{number}.html").write_text(page, encoding="utf-8")
        back[f"elschool:class:{department}"] = cls["id"]
        back[f"elschool:pupil:{number}"] = pupil
    return ids
