-- Academic years loaded, per school.
SELECT school_id, id AS academic_year_id, name, start_date, end_date
FROM academic_years
ORDER BY school_id, start_date
