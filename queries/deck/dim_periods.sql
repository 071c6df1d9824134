-- Reporting periods with their grade band: the deck's period filter.
SELECT id, school_id, academic_year_id, name, kind, start_date, end_date, grade_from, grade_to
FROM periods
ORDER BY school_id, start_date, CASE kind WHEN 'year' THEN 1 ELSE 0 END, grade_from, id;
