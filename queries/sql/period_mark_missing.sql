-- Students with no period mark (any value, «н/а» and «осв» included) in a subject for a period that has
-- ended by `as_of`, although they were members of the course's group for the whole period. For a year
-- period the mark looked for is the year mark (year_period_marks of _setup.sql). Regulation 2.11, 3.2.
WITH given AS (
    SELECT f.period_id, f.student_id, f.subject_id FROM journal_final_marks() f WHERE f.kind = 'period'
    UNION ALL
    -- only a named period is a year period in scope (a date range holds none)
    SELECT y.year_period_id, y.student_id, y.subject_id FROM year_period_marks($school_id) y
    WHERE y.year_period_id = $period_id
)
SELECT e.period_id, e.student_id, e.subject_id, min(e.group_id) AS group_id, min(e.class_id) AS class_id,
       min(e.teacher_id) AS teacher_id, min(e.end_date) AS event_date
FROM scope_period_enrolments e
WHERE e.whole_period AND e.end_date < $as_of AND e.grade >= $min_grade
  AND NOT EXISTS (
      SELECT 1 FROM given f
      WHERE f.period_id = e.period_id AND f.student_id = e.student_id AND f.subject_id = e.subject_id)
GROUP BY e.period_id, e.student_id, e.subject_id
ORDER BY period_id, class_id, student_id, subject_id;
