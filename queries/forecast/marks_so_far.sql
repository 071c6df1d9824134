-- The marks a forecast at $as_of counted, one row each: the grade marks of the period $period_id that
-- the journal held at the end of $as_of, by the same rule as features.sql (visible_marks + mark_stats:
-- held lesson on or before $as_of, entered_at or else first_seen_at before $as_of_end, not deleted by
-- then, not made after a compromise report known at D (regulation 4.4), value_kind 'grade' counting in
-- the average), so per student × subject their number is n_marks.
-- $students narrows to a list of student ids, $subject_id (NULL = every subject) to one subject.
SELECT mk.student_id, mk.subject_id, mk.lesson_date, mk.value_raw, mk.value_num::DOUBLE AS value_num,
       mk.weight::DOUBLE AS weight, wt.name AS work_type_name, coalesce(wt.is_control, false) AS is_control
FROM marks mk
JOIN periods p ON p.id = $period_id AND mk.school_id = p.school_id
                 AND mk.lesson_date BETWEEN p.start_date AND p.end_date
JOIN lessons l ON l.id = mk.lesson_id
LEFT JOIN work_types wt ON wt.id = mk.work_type_id
LEFT JOIN compromise_reports() cr ON cr.person_id = mk.entered_by AND cr.reported_at < $as_of_end
WHERE l.deleted_at IS NULL AND l.status = 'held' AND mk.lesson_date <= $as_of
  AND coalesce(mk.entered_at, mk.first_seen_at) < $as_of_end
  AND (mk.deleted_at IS NULL OR mk.deleted_at >= $as_of_end)
  AND NOT made_after_report(mk.entered_at, mk.entered_at_precision, cr.reported_at)
  AND mk.value_kind = 'grade' AND mk.counts_in_average
  AND list_contains($students, mk.student_id)
  AND ($subject_id IS NULL OR mk.subject_id = $subject_id)
ORDER BY mk.student_id, mk.subject_id, mk.lesson_date, l.lesson_number NULLS LAST, mk.id;
