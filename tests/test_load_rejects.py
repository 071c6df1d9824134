"""Each reject reason: the bad row lands in rejected_rows (file, line, column, value, reason); the rest loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.loader import BundleRefused, load_bundle
from tests.load_fixtures import MARK_FORMS, T0, query, school, write_bundle, write_csv


def _load_with(tmp_path: Path, table: str, header: list[str], rows: list[list[str]]) -> tuple[Path, object]:
    data = school()
    data.pop(table)
    bundle = write_bundle(tmp_path / "b", data)
    write_csv(bundle / f"{table}.csv", header, rows)
    db = tmp_path / "w.duckdb"
    return db, load_bundle(bundle, db, now=T0)


def _rejects(db: Path) -> list[tuple]:
    return query(db, "SELECT table_name, file_name, line, column_name, value, reason FROM rejected_rows ORDER BY line, column_name")


MARK_HEADER = ["Ид", "Ученик", "Урок", "Отметка", "Вес", "Дата выставления"]


def test_mark_rejects_each_reason_and_valid_rows_still_load(tmp_path: Path) -> None:
    db, report = _load_with(
        tmp_path,
        "marks",
        MARK_HEADER,
        [
            ["K1", "P1", "L1", "5", "", "02.09.2025 12:00"],  # line 2: valid
            ["K2", "P1", "L123", "4", "", ""],  # 3: unknown lesson
            ["K3", "P9", "L1", "4", "", ""],  # 4: unknown student
            ["K4", "P1", "L1", "7", "", ""],  # 5: not a mark on the five-point scale
            ["K5", "P1", "L1", "Н", "", ""],  # 6: an attendance code in the mark column
            ["K6", "P1", "L1", "4", "два", ""],  # 7: bad number
            ["K7", "P1", "L1", "4", "", "31.02.2025"],  # 8: bad date
            ["K1", "P1", "L2", "3", "", ""],  # 9: duplicate id
            ["", "P1", "L2", "3", "", ""],  # 10: missing id
            ["K8", "", "L2", "3", "", ""],  # 11: missing student
            ["K9", "P1", "L2", "*", "0", ""],  # 12: weight must be > 0
            ["K10", "P1", "L2", "", "", ""],  # 13: empty cell = placeholder, valid
        ],
    )
    assert _rejects(db) == [
        ("marks", "marks.csv", 3, "Урок", "L123", "урок L123 не найден"),
        ("marks", "marks.csv", 4, "Ученик", "P9", "ученик P9 не найден"),
        ("marks", "marks.csv", 5, "Отметка", "7", f"отметка «7» не распознана: {MARK_FORMS}"),
        ("marks", "marks.csv", 6, "Отметка", "Н",
         "отметка «Н» не распознана: это код посещаемости, его место в файле посещаемости"),
        ("marks", "marks.csv", 7, "Вес", "два", "не число"),
        ("marks", "marks.csv", 8, "Дата выставления", "31.02.2025",
         "нет такой даты или времени: проверьте день и месяц, часы (0–23) и минуты (0–59); год — от 1900 до 2100"),
        ("marks", "marks.csv", 9, "Ид", "K1", "ид K1 повторяется: уже был в строке 2"),
        ("marks", "marks.csv", 10, "Ид", None, "не заполнено обязательное поле"),
        ("marks", "marks.csv", 11, "Ученик", None, "не заполнено обязательное поле"),
        ("marks", "marks.csv", 12, "Вес", "0", "вес должен быть больше нуля"),
    ]
    assert query(db, "SELECT id, value_raw, value_kind FROM marks ORDER BY id") == [
        ("K1", "5", "grade"),
        ("K10", "", "placeholder"),
    ]
    m = report.table("marks")
    assert (m.read, m.inserted, m.rejected) == (12, 2, 10)
    assert query(db, "SELECT rows_read, rows_loaded, rows_rejected FROM import_batches") == [(31, 21, 10)]


def test_two_errors_in_one_row_are_both_reported(tmp_path: Path) -> None:
    db, report = _load_with(tmp_path, "marks", MARK_HEADER, [["K1", "P9", "L9", "5", "", ""]])
    assert [r[3:] for r in _rejects(db)] == [
        ("Урок", "L9", "урок L9 не найден"),
        ("Ученик", "P9", "ученик P9 не найден"),
    ]
    assert report.table("marks").rejected == 1


def test_choices_dates_and_row_rules(tmp_path: Path) -> None:
    db, _ = _load_with(
        tmp_path,
        "groups",
        ["id", "school_id", "academic_year_id", "name", "kind", "grade", "parent_group_id"],
        [
            ["G5A", "S1", "Y1", "5А", "Class", "5", ""],  # valid: choices compare lower-cased
            ["G5A1", "S1", "Y1", "5А гр. 1", "subgroup", "5", "G5A"],  # valid: parent in the same file
            ["G12", "S1", "Y1", "12А", "class", "12", ""],  # grade not allowed
            ["GX", "S1", "Y1", "X", "кружок", "5", ""],  # kind not allowed
            ["GS", "S1", "Y1", "5А гр. 2", "subgroup", "5", ""],  # subgroup without class
            ["GP", "S1", "Y1", "5Б", "class", "5", "G5A"],  # class with a parent
            ["GQ", "S1", "Y9", "5В", "class", "5,5", ""],  # unknown year, not an integer
        ],
    )
    assert [r[2:] for r in _rejects(db)] == [
        (4, "grade", "12", "недопустимое значение; допустимо: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"),
        (5, "kind", "кружок", "недопустимое значение; допустимо: class, subgroup"),
        (6, "parent_group_id", None, "у подгруппы должен быть указан класс"),
        (7, "parent_group_id", "G5A", "у класса не бывает родительского класса (это подгруппа?)"),
        (8, "academic_year_id", "Y9", "учебный год Y9 не найден"),
        (8, "grade", "5,5", "не целое число"),
    ]
    assert query(db, "SELECT id, kind FROM groups ORDER BY id") == [("G5A", "class"), ("G5A1", "subgroup")]


def test_end_before_start_and_bad_date(tmp_path: Path) -> None:
    db, _ = _load_with(
        tmp_path,
        "academic_years",
        ["ИД", "Школа", "Учебный год", "Начало", "Окончание"],
        [
            ["Y1", "S1", "2025/2026", "01.09.2025", "31.05.2026"],
            ["Y2", "S1", "2026/2027", "01.09.2026", "31.05.2026"],
            ["Y3", "S1", "2027/2028", "1 сентября", "31.05.2028"],
            ["Y4", "S1", "2028/2029", "01.09.2028", "31.02.2029"],
        ],
    )
    assert [r[2:] for r in _rejects(db)] == [
        (3, "Окончание", "31.05.2026", "дата окончания раньше даты начала (01.09.2026)"),
        (4, "Начало", "1 сентября", "не дата (ожидается ДД.ММ.ГГГГ, ДД.ММ.ГГ или ГГГГ-ММ-ДД)"),
        # the right form, no such day: «не дата (ожидается ДД.ММ.ГГГГ …)» had the admin hunt for a format error
        (5, "Окончание", "31.02.2029", "нет такой даты: проверьте день и месяц (год — от 1900 до 2100)"),
    ]


def test_unknown_attendance_code_and_bool(tmp_path: Path) -> None:
    db, _ = _load_with(
        tmp_path,
        "attendance",
        ["id", "student_id", "lesson_id", "code"],
        [["A1", "P1", "L2", " уп "], ["A2", "P1", "L1", "Ж"], ["A3", "P3", "L1", "ill"]],
    )
    assert [r[2:] for r in _rejects(db)] == [
        (3, "code", "Ж", "код посещаемости «Ж» не распознан (допустимые коды: таблица attendance_codes)")
    ]
    assert query(db, "SELECT id, status, raw_code FROM attendance ORDER BY id") == [
        ("A1", "absent_excused", "уп"),
        ("A3", "absent_illness", "ill"),
    ]


def test_bad_boolean(tmp_path: Path) -> None:
    db, _ = _load_with(
        tmp_path, "work_types", ["id", "school_id", "name", "is_control"], [["W1", "S1", "Ответ", "нет"], ["W2", "S1", "К/р", "возможно"]]
    )
    assert [r[2:] for r in _rejects(db) if r[0] == "work_types"] == [(3, "is_control", "возможно", "не «да»/«нет»")]
    # W2 rejected: the fixture's mark K2 that names it is rejected in turn, with a reason of its own.
    assert query(db, "SELECT line, column_name, reason FROM rejected_rows WHERE table_name = 'marks'") == [
        (3, "work_type_id", "вид работы W2 не найден")
    ]


def test_repeated_id_in_a_keyed_table_is_a_reject_on_a_first_load(tmp_path: Path) -> None:
    """people declares PRIMARY KEY (id): a repeated id must not reach DuckDB's key check, which would
    abort the whole load; the first occurrence loads, the later ones are rejected like in any table."""
    db, report = _load_with(
        tmp_path,
        "people",
        ["id", "school_id", "role", "last_name", "first_name"],
        [
            ["T1", "S1", "teacher", "Иванова", "Анна"],
            ["P1", "S1", "student", "Петров", "Пётр"],
            ["P1", "S1", "student", "Петрова", "Инна"],  # line 4: same id, other content
            ["P2", "S1", "student", "Сидорова", "Ева"],
            ["P3", "S1", "student", "Ким", "Олег"],
            ["P2", "S1", "student", "Сидорова", "Ева"],  # line 7: the same row again
        ],
    )
    assert report.status == "loaded"
    assert [r[2:] for r in _rejects(db) if r[0] == "people"] == [
        (4, "id", "P1", "ид P1 повторяется: уже был в строке 3"),
        (7, "id", "P2", "ид P2 повторяется: уже был в строке 5"),
    ]
    assert query(db, "SELECT id, last_name FROM people ORDER BY id") == [
        ("P1", "Петров"), ("P2", "Сидорова"), ("P3", "Ким"), ("T1", "Иванова")
    ]
    assert report.table("people").read == 6 and report.table("people").rejected == 2
    assert query(db, "SELECT count(*) FROM marks") == [(4,)]


def test_student_outside_group_is_a_flag_not_a_reject(tmp_path: Path) -> None:
    """P2 left 5А on 02.09; a mark and an absence on 03.09 load, flagged."""
    data = school()
    data["marks"].append({"id": "K9", "student_id": "P2", "lesson_id": "L2", "value": "2", "entered_at": "2025-09-02 07:00"})
    data["attendance"].append({"id": "A9", "student_id": "P2", "lesson_id": "L2", "code": "Н"})
    bundle = write_bundle(tmp_path / "b", data)
    db = tmp_path / "w.duckdb"
    load_bundle(bundle, db, now=T0)
    assert query(db, "SELECT count(*) FROM rejected_rows") == [(0,)]
    assert query(
        db,
        "SELECT id, flag_student_not_in_group, flag_entered_before_lesson, flag_entered_very_late FROM marks ORDER BY id",
    ) == [
        ("K1", False, False, False),
        ("K2", False, False, False),
        ("K3", False, False, False),  # P3 is in subgroup 5А гр. 1 of the lesson's class
        ("K4", False, False, False),  # P1 is in 5А, the parent class of the lesson's subgroup
        ("K9", True, True, False),
    ]
    assert query(db, "SELECT id, flag_student_not_in_group FROM attendance ORDER BY id") == [("A1", False), ("A9", True)]


def test_overlapping_memberships_load_each_row_once(tmp_path: Path) -> None:
    """Membership spans are merged per student and group before marks join them: P1 in 5А and, from
    the same day, in its subgroup (two identical spans in 5А, one via the subgroup's parent) plus a
    nested span; P2 leaves 5А on 02.09 and comes back on 04.09. Each mark loads once, flagged right."""
    data = school()
    data["memberships"] += [
        {"id": "M4", "group_id": "G5A1", "student_id": "P1", "valid_from": "2025-09-01"},
        {"id": "M5", "group_id": "G5A", "student_id": "P1", "valid_from": "2025-09-02", "valid_to": "2025-09-03"},
        {"id": "M6", "group_id": "G5A", "student_id": "P2", "valid_from": "2025-09-04"},
    ]
    data["marks"] += [
        {"id": "K9", "student_id": "P2", "lesson_id": "L2", "value": "2"},  # 03.09: P2 away
        {"id": "K10", "student_id": "P2", "lesson_id": "L3", "value": "4"},  # 04.09: back (5А, the subgroup's class)
    ]
    db = tmp_path / "w.duckdb"
    report = load_bundle(write_bundle(tmp_path / "b", data), db, now=T0)
    assert (report.table("marks").read, report.table("marks").inserted) == (6, 6)
    assert query(db, "SELECT id, flag_student_not_in_group FROM marks ORDER BY id") == [
        ("K1", False), ("K10", False), ("K2", False), ("K3", False), ("K4", False), ("K9", True),
    ]


def test_very_late_flag_uses_the_norm(tmp_path: Path) -> None:
    data = school()
    data["marks"] = [
        {"id": "K1", "student_id": "P1", "lesson_id": "L1", "value": "5", "entered_at": "2026-03-01 10:00"},  # 180 days
        {"id": "K2", "student_id": "P1", "lesson_id": "L1", "value": "5", "entered_at": "2026-03-02 10:00"},  # 181 days
    ]
    db = tmp_path / "w.duckdb"
    load_bundle(write_bundle(tmp_path / "b", data), db, now=T0)
    assert query(db, "SELECT id, flag_entered_very_late FROM marks ORDER BY id") == [("K1", False), ("K2", True)]


def test_top_reject_reasons_in_report(tmp_path: Path) -> None:
    _, report = _load_with(
        tmp_path, "marks", MARK_HEADER, [["K1", "P1", "L9", "5", "", ""], ["K2", "P1", "L9", "5", "", ""], ["K3", "P1", "L1", "9", "", ""]]
    )
    assert [(r.table, r.reason, r.rows) for r in report.top_reject_reasons] == [
        ("marks", "урок L9 не найден", 2),
        ("marks", f"отметка «9» не распознана: {MARK_FORMS}", 1),
    ]
    assert "урок L9 не найден — 2" in report.summary()


def test_plausible_years_come_from_the_norms(tmp_path: Path, monkeypatch) -> None:
    """A school that narrows [plausibility] min_year/max_year gets its range in the check and in the reason
    (both were the literals 1900 and 2100 in the macros and in the messages)."""
    norms = tmp_path / "norms.toml"
    norms.write_text("[plausibility]\nmin_year = 2000\nmax_year = 2030\n", encoding="utf-8")
    monkeypatch.setenv("ZAVUCH_NORMS", str(norms))
    db, _ = _load_with(
        tmp_path, "marks", MARK_HEADER,
        [["K1", "P1", "L1", "5", "", "02.09.2025 12:00"], ["K2", "P1", "L1", "4", "", "02.09.2052 12:00"]],
    )
    assert [r[2:] for r in _rejects(db)] == [
        (3, "Дата выставления", "02.09.2052 12:00",
         "нет такой даты или времени: проверьте день и месяц, часы (0–23) и минуты (0–59); год — от 2000 до 2030"),
    ]
    assert query(db, "SELECT id FROM marks ORDER BY id") == [("K1",)]


def test_plausible_years_out_of_order_refuse_the_load(tmp_path: Path, monkeypatch) -> None:
    norms = tmp_path / "norms.toml"
    norms.write_text("[plausibility]\nmin_year = 2100\nmax_year = 1900\n", encoding="utf-8")
    monkeypatch.setenv("ZAVUCH_NORMS", str(norms))
    with pytest.raises(BundleRefused, match=r"plausibility.min_year \(2100\) должен быть меньше plausibility.max_year"):
        _load_with(tmp_path, "marks", MARK_HEADER, [["K1", "P1", "L1", "5", "", ""]])
    assert not (tmp_path / "w.duckdb").exists()


def test_several_marks_in_one_cell_say_what_to_do(tmp_path: Path) -> None:
    """«4/5» (Дневник.ру shows a work's two marks so) was refused as «не распознана» and nothing more: the
    admin did not know whether to drop a mark, average them or split the row."""
    db, _ = _load_with(tmp_path, "marks", MARK_HEADER,
                       [["K1", "P1", "L1", "4/5", "", ""], ["K2", "P1", "L1", "5-/4+", "", ""], ["K3", "P1", "L1", "5", "", ""]])
    split = ("в ячейке несколько отметок за одну работу (так их показывает Дневник.ру); запишите каждую "
             "отдельной строкой — со своим ид, тем же учеником и уроком")
    assert [r[2:] for r in _rejects(db)] == [
        (2, "Отметка", "4/5", f"отметка «4/5» не распознана: {split}"),
        (3, "Отметка", "5-/4+", f"отметка «5-/4+» не распознана: {split}"),
    ]
    assert query(db, "SELECT id FROM marks") == [("K3",)]


def test_several_marks_in_a_final_mark_cell(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school())
    write_csv(bundle / "final_marks.csv", ["id", "student_id", "subject_id", "group_id", "kind", "value"],
              [["F1", "P1", "MATH", "G5A", "year", "4/5"], ["F2", "P1", "MATH", "G5A", "year", "отл"],
               ["F3", "P3", "MATH", "G5A", "year", "5"]])
    db = tmp_path / "w.duckdb"
    load_bundle(bundle, db, now=T0)
    assert [r[1:] for r in _rejects(db) if r[0] == "final_marks"] == [
        ("final_marks.csv", 2, "value", "4/5", ("отметка «4/5» не распознана: в ячейке несколько отметок, а итоговая "
                                                "отметка одна; оставьте ту, что выставлена")),
        ("final_marks.csv", 3, "value", "отл", f"отметка «отл» не распознана: {MARK_FORMS}"),
    ]
    assert query(db, "SELECT id FROM final_marks") == [("F3",)]
