-- Reporting periods, per school and grade band (they differ by grade: regulation annex 3 p.2).
SELECT school_id, academic_year_id, id AS period_id, name, kind, number, start_date, end_date,
       grade_from, grade_to
FROM periods
ORDER BY school_id, start_date, grade_from, number
