-- Reporting periods of the scope (scoped_periods of _setup.sql: the period named, else those lying inside
-- the dates) that have not ended before the check day: their period marks are still being entered, so
-- the results on them (успеваемость, качество, СОУ, the change against the previous period) are those
-- on the check day, not the period's. The rule of the справка's periods_in_scope.sql (ended = end_date < as_of).
SELECT id AS period_id, name AS period_name, end_date, $as_of::DATE AS as_of
FROM scoped_periods($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)
WHERE end_date >= $as_of
ORDER BY end_date, grade_from, id;
