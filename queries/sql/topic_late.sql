-- Held lessons whose (real) topic was entered later than [deadlines].topic_days after the lesson
-- day (regulation 2.5). Lessons without topic_entered_at cannot be judged and are not listed.
SELECT lesson_id, school_id, teacher_id, group_id, class_id, subject_id, lesson_date AS event_date,
       lesson_number, topic, topic_entered_at, topic_entered_at_precision,
       date_diff('day', lesson_date, topic_entered_at::DATE) AS lag_days
FROM scope_lessons
WHERE status = 'held'
  AND NOT topic_missing
  AND date_diff('day', lesson_date, topic_entered_at::DATE) > $topic_days
ORDER BY event_date, group_id, lesson_number, lesson_id;
