-- The marks a forecast at $as_of counted, one row each: the grade marks of the period $period_id that
-- the journal held at the end of $as_of, by the same rule as features.sql (visible_marks + mark_stats:
-- marks_known_at of _setup.sql, value_kind 'grade' counting in the average), so per student × subject
-- their number is n_marks.
-- $students narrows to a list of student ids, $subject_id (NULL = every subject) to one subject.
SELECT mk.student_id, mk.subject_id, mk.lesson_date, mk.value_raw, mk.value_num::DOUBLE AS value_num,
       mk.weight::DOUBLE AS weight, wt.name AS work_type_name, coalesce(wt.is_control, false) AS is_control
FROM marks_known_at($period_id, $as_of, $as_of_end) mk
LEFT JOIN work_types wt ON wt.id = mk.work_type_id
WHERE mk.value_kind = 'grade' AND mk.counts_in_average
  AND list_contains($students, mk.student_id)
  AND ($subject_id IS NULL OR mk.subject_id = $subject_id)
ORDER BY mk.student_id, mk.subject_id, mk.lesson_date, mk.lesson_number NULLS LAST, mk.id;
