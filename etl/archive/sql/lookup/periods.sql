-- Reporting periods of the year that get a справка and a period сводная ведомость (not the 'year' kind,
-- whose marks go to the year's сводная ведомость).
SELECT id, name, kind, grade_from, grade_to
FROM periods
WHERE academic_year_id = $year_id AND kind <> 'year'
ORDER BY start_date, grade_from, id
