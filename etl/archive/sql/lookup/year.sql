-- The academic year to archive, named by its id or its name ('2025/2026'), with its school.
SELECT y.id AS year_id, y.name AS year_name, y.start_date, y.end_date,
       s.id AS school_id, s.name AS school_name, s.full_name AS school_full_name, s.region, s.timezone
FROM academic_years y
JOIN schools s ON s.id = y.school_id
WHERE (y.id = $year OR y.name = $year)
  AND ($school_id IS NULL OR s.id = $school_id)
ORDER BY s.id
