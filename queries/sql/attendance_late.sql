-- Held lessons whose roll was taken later than [deadlines].attendance_days after the lesson day
-- (regulation 2.6).
SELECT lesson_id, school_id, teacher_id, group_id, class_id, subject_id, lesson_date AS event_date,
       lesson_number, attendance_taken_at, attendance_taken_at_precision,
       date_diff('day', lesson_date, attendance_taken_at::DATE) AS lag_days
FROM scope_lessons
WHERE status = 'held'
  AND date_diff('day', lesson_date, attendance_taken_at::DATE) > $attendance_days
ORDER BY event_date, group_id, lesson_number, lesson_id;
