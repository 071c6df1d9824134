-- Reporting periods of the year (every grade band).
SELECT * FROM periods WHERE academic_year_id = $year_id ORDER BY id
