-- Substitutions (regulation 2.5): held lessons recorded as a substitution or taught by someone other
-- than the timetabled teacher; `recorded` says whether the source marked it.
SELECT lesson_id, school_id, group_id, class_id, subject_id, lesson_date AS event_date, lesson_number,
       planned_teacher_id, actual_teacher_id, teacher_id, is_substitution AS recorded, entered_by
FROM scope_lessons
WHERE status = 'held'
  AND (is_substitution OR actual_teacher_id IS DISTINCT FROM coalesce(planned_teacher_id, actual_teacher_id))
ORDER BY event_date, group_id, lesson_number, lesson_id;
