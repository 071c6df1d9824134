-- An academic year's school and dates: the scope of its year сводная ведомость, for the count of the
-- entries in it that are invalid under regulation 4.4.
SELECT school_id, start_date, end_date FROM academic_years WHERE id = $academic_year_id;
