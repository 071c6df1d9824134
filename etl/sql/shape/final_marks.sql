-- Valid period/year/exam marks in warehouse shape: the school from the group, the value parsed.
SELECT c.id, g.school_id, c.student_id, c.subject_id, c.group_id, c.period_id, c.kind,
       c.value AS value_raw, zv_mark_num(c.value) AS value_num, zv_mark_kind(c.value) AS value_kind,
       c.entered_by, c.entered_at, c.entered_at_precision,
       $now AS first_seen_at, $now AS last_seen_at, CAST(NULL AS TIMESTAMP) AS deleted_at,
       $source_system AS source_system, c.id AS source_id, $batch_id AS batch_id
FROM checked_final_marks c
JOIN groups g ON g.id = c.group_id
WHERE c._errors IS NULL
