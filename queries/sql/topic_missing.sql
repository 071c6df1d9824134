-- Held lessons without a real topic (regulation 2.5, 2.10): NULL, empty, fewer than
-- [journal].topic_min_chars non-blank characters, or only dots and dashes.
SELECT lesson_id, school_id, teacher_id, group_id, class_id, subject_id, lesson_date AS event_date,
       lesson_number, topic
FROM scope_lessons
WHERE status = 'held' AND topic_missing
ORDER BY event_date, group_id, lesson_number, lesson_id;
