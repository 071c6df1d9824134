-- Vacations, holidays and quarantines of the year.
SELECT * FROM holidays WHERE academic_year_id = $year_id ORDER BY id
