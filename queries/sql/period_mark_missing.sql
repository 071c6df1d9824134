-- Students with no period mark (any value, «н/а» and «осв» included) in a subject for a period that has
-- ended by `as_of`, although they were members of the course's group for the whole period.
-- Regulation 2.11.
SELECT e.period_id, e.student_id, e.subject_id, min(e.group_id) AS group_id, min(e.class_id) AS class_id,
       min(e.teacher_id) AS teacher_id, min(e.end_date) AS event_date
FROM scope_period_enrolments e
WHERE e.whole_period AND e.end_date < $as_of AND e.grade >= $min_grade
  AND NOT EXISTS (
      SELECT 1 FROM journal_final_marks() f
      WHERE f.period_id = e.period_id AND f.student_id = e.student_id AND f.subject_id = e.subject_id
        AND f.kind = 'period')
GROUP BY e.period_id, e.student_id, e.subject_id
ORDER BY period_id, class_id, student_id, subject_id;
