-- Academic years per school, newest first: the deck's year filter.
SELECT id, school_id, name, start_date, end_date FROM academic_years ORDER BY start_date DESC, school_id, id;
