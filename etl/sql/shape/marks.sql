-- Valid mark rows in warehouse shape: school, group, subject and date denormalised from the lesson;
-- the value parsed (parse_mark.sql); weight from the row, else its work type, else 1; plausibility
-- flags kept on the row (issue 2 §3, data-formats §10.1 rec. 3): entered before the lesson date,
-- entered more than $max_entry_lag_days after it (norms [plausibility]), student not in the lesson's
-- group that day (member_spans.sql). Flags need a known entry time; without one they stay false.
SELECT c.id, l.school_id, c.student_id, c.lesson_id, l.group_id, l.subject_id, l.lesson_date, c.work_type_id,
       c.value AS value_raw,
       zv_mark_num(c.value) AS value_num,
       zv_mark_kind(c.value) AS value_kind,
       zv_mark_modifier(c.value) AS value_modifier,
       coalesce(c.weight, w.weight, 1) AS weight,
       coalesce(c.counts_in_average, true) AS counts_in_average,
       c.comment, c.entered_by, c.entered_at, c.entered_at_precision,
       CASE WHEN c.entered_at IS NOT NULL THEN coalesce(c.entered_at_source, $source_system || ':entered_at') END
           AS entered_at_source,
       c.updated_at, c.deleted_at,
       $now AS first_seen_at, $now AS last_seen_at,
       coalesce(CAST(c.entered_at AS DATE) < l.lesson_date, false) AS flag_entered_before_lesson,
       coalesce(date_diff('day', l.lesson_date, CAST(c.entered_at AS DATE)) > $max_entry_lag_days, false)
           AS flag_entered_very_late,
       s.student_id IS NULL AS flag_student_not_in_group,
       $source_system AS source_system, c.id AS source_id, $batch_id AS batch_id
FROM checked_marks c
JOIN lessons l ON l.id = c.lesson_id
LEFT JOIN work_types w ON w.id = c.work_type_id
LEFT JOIN member_spans s  -- disjoint spans: at most one matches
    ON s.student_id = c.student_id AND s.group_id = l.group_id AND l.lesson_date BETWEEN s.valid_from AND s.valid_to
WHERE c._errors IS NULL
