-- A mark as written in the journal -> its kind, number and modifier (data-formats §7.2).
--   '5', '4-', '5+'           grade on the five-point scale (regulation 2.11), modifier kept apart
--   'н/а', 'на', 'н/а.'       not_attested (не аттестован)
--   'зач', 'зачёт', 'незач'   pass_fail
--   'осв', 'освобождён'       exempt
--   '*', '.', '' (empty)      placeholder: a cell reserved for a mark (долг, точка)
-- Anything else is not a mark: the loader rejects the row (an attendance code such as 'Н' belongs in
-- the attendance file, data-formats §10.1 recommendation 4).

CREATE OR REPLACE TEMP MACRO zv_mark_key(v) AS
    rtrim(replace(replace(replace(lower(coalesce(trim(v), '')), 'ё', 'е'), ' ', ''), '\', '/'), '.');

-- Most cells are a grade written plainly ('4', '5-'): its key is the cell itself, so the first branch of
-- each macro below answers without building the key (six string functions per cell).
CREATE OR REPLACE TEMP MACRO zv_plain_grade(v) AS regexp_full_match(v, '[1-5][+-]?');

CREATE OR REPLACE TEMP MACRO zv_mark_kind(v) AS
    CASE
        WHEN zv_plain_grade(v) THEN 'grade'
        WHEN regexp_full_match(zv_mark_key(v), '[1-5][+-]?') THEN 'grade'
        WHEN zv_mark_key(v) IN ('н/а', 'на', 'неаттестован', 'неат') THEN 'not_attested'
        WHEN zv_mark_key(v) IN ('зач', 'зачет', 'зачтено', 'незач', 'незачет', 'незачтено') THEN 'pass_fail'
        WHEN zv_mark_key(v) IN ('осв', 'освоб', 'освобожден', 'освобождена') THEN 'exempt'
        WHEN zv_mark_key(v) IN ('', '*') THEN 'placeholder'
    END;

CREATE OR REPLACE TEMP MACRO zv_mark_num(v) AS
    CASE WHEN zv_plain_grade(v) THEN CAST(left(v, 1) AS DECIMAL(4, 2))
         WHEN zv_mark_kind(v) = 'grade' THEN CAST(left(zv_mark_key(v), 1) AS DECIMAL(4, 2)) END;

CREATE OR REPLACE TEMP MACRO zv_mark_modifier(v) AS
    CASE WHEN zv_plain_grade(v) THEN CASE WHEN length(v) = 2 THEN right(v, 1) END
         WHEN zv_mark_kind(v) = 'grade' AND length(zv_mark_key(v)) = 2 THEN right(zv_mark_key(v), 1) END;

-- Why a cell that is no mark (zv_mark_kind NULL) was refused, and what to write instead: the reason of the
-- rejected row (etl/sql/checks/marks.sql, final_marks.sql). `final`: a period or year mark, of which a
-- student has one, so several marks in its cell are a choice to make, not rows to split.
CREATE OR REPLACE TEMP MACRO zv_mark_reason(v, final) AS 'отметка «' || v || '» не распознана: ' || CASE
    WHEN regexp_full_match(zv_mark_key(v), '[1-5][+-]?(/[1-5][+-]?)+') THEN CASE WHEN final
        THEN 'в ячейке несколько отметок, а итоговая отметка одна; оставьте ту, что выставлена'
        ELSE 'в ячейке несколько отметок за одну работу (так их показывает Дневник.ру); запишите каждую '
             || 'отдельной строкой — со своим ид, тем же учеником и уроком' END
    WHEN upper(v) IN (SELECT raw_code FROM attendance_codes)
        THEN 'это код посещаемости, его место в файле посещаемости'
    ELSE 'допустимы 1–5 (можно с «+» или «-»), н/а, зач, незач, осв, «*» или пустая ячейка (docs/data-format.md)'
END;
