-- Valid homework rows in warehouse shape: school/group/subject/date from the lesson.
SELECT c.id, l.school_id, c.lesson_id, l.group_id, l.subject_id, l.lesson_date,
       c.text, c.due_date, c.duration_minutes, c.entered_by, c.entered_at, c.entered_at_precision,
       $now AS first_seen_at, $now AS last_seen_at, CAST(NULL AS TIMESTAMP) AS deleted_at,
       $source_system AS source_system, c.id AS source_id, $batch_id AS batch_id
FROM checked_homework c
JOIN lessons l ON l.id = c.lesson_id
WHERE c._errors IS NULL
