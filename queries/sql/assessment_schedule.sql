-- The schedule of assessment procedures («график оценочных процедур», domain-notes §2): every procedure
-- in scope, one row each (scope_assessments says what one is), in the order of the days, with whether it
-- breaks the interval rule or the first/last-lesson rule of [assessment]. The share rule is per period:
-- assessment_share_high.
SELECT lesson_id, lesson_ids, school_id, teacher_id, group_id, class_id, subject_id, event_date,
       lesson_numbers, lessons, work_types, procedure_number, previous_assessment_date, days_since_previous,
       coalesce(days_since_previous < $assessment_min_interval_days, false) AS too_frequent,
       day_first_number, day_last_number, day_edge, weekly_hours,
       coalesce(weekly_hours <= $assessment_edge_exempt_hours, false) AS edge_exempt,
       day_edge IS NOT NULL AND NOT coalesce(weekly_hours <= $assessment_edge_exempt_hours, false) AS on_day_edge
FROM scope_assessments
ORDER BY event_date, class_id, lesson_numbers[1] NULLS LAST, group_id, subject_id;
