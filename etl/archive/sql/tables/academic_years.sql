-- The archived academic year.
SELECT * FROM academic_years WHERE id = $year_id ORDER BY id
