-- Valid attendance rows in warehouse shape: canonical status through attendance_codes (raw code kept
-- as written), school/group/subject/date from the lesson, flag when the student is not in the group.
SELECT c.id, l.school_id, c.student_id, c.lesson_id, l.group_id, l.subject_id, l.lesson_date,
       ac.status, c.code AS raw_code, c.comment, c.recorded_by, c.recorded_at, c.recorded_at_precision,
       $now AS first_seen_at, $now AS last_seen_at, CAST(NULL AS TIMESTAMP) AS deleted_at,
       s.student_id IS NULL AS flag_student_not_in_group,
       $source_system AS source_system, c.id AS source_id, $batch_id AS batch_id
FROM checked_attendance c
JOIN lessons l ON l.id = c.lesson_id
JOIN attendance_codes ac ON ac.raw_code = upper(c.code)
LEFT JOIN member_spans s  -- disjoint spans: at most one matches
    ON s.student_id = c.student_id AND s.group_id = l.group_id AND l.lesson_date BETWEEN s.valid_from AND s.valid_to
WHERE c._errors IS NULL
