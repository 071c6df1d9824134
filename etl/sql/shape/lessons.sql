-- Valid lesson rows in warehouse shape: the school comes from the lesson's group.
SELECT c.id, g.school_id, c.group_id, c.subject_id, c.lesson_date, c.lesson_number,
       c.planned_teacher_id, c.actual_teacher_id,
       coalesce(c.is_substitution, false) AS is_substitution,
       coalesce(c.status, 'held') AS status,
       c.topic, c.topic_entered_at, c.topic_entered_at_precision, c.plan_lesson_id, c.entered_by,
       c.attendance_taken_at, c.attendance_taken_at_precision,
       $source_system AS source_system, c.id AS source_id, $batch_id AS batch_id,
       $now AS first_seen_at, $now AS last_seen_at, CAST(NULL AS TIMESTAMP) AS deleted_at
FROM checked_lessons c
JOIN groups g ON g.id = c.group_id
WHERE c._errors IS NULL
