-- Reporting periods a forecast at $as_of is made for: the one named, else every period of the scope's
-- school and grade band that contains the day ($as_of between its start and end; school years excluded).
SELECT id AS period_id, school_id, name, kind, start_date, end_date, grade_from, grade_to
FROM periods
WHERE CASE WHEN $period_id IS NOT NULL THEN id = $period_id
           ELSE $as_of BETWEEN start_date AND end_date AND kind <> 'year'
                AND ($school_id IS NULL OR school_id = $school_id)
                AND grade_from <= $grade_to AND grade_to >= $grade_from END
ORDER BY school_id, start_date, grade_from;
