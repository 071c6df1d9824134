-- Reporting periods a справка's checks of period marks cover (scoped_periods of _setup.sql: the period
-- named, else those lying inside the dates up to the check day) and whether each ended before the check
-- day: before its end, missing period marks and too few marks for attestation are not judged
-- (period_mark_missing.sql, too_few_marks.sql), and the справка says so instead of «не выявлено».
-- Their names and grade bands label the results of each when a справка over dates covers several.
SELECT id AS period_id, name AS period_name, grade_from, grade_to, end_date, end_date < $as_of AS ended
FROM scoped_periods($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)
ORDER BY end_date, grade_from, id;
