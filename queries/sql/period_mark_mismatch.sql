-- Objectivity (regulation 2.11): period marks (grades) that differ from the weighted average of the
-- period's counted grade marks rounded with the school's thresholds ([rounding]; ≥ threshold rounds up).
SELECT f.period_id, f.student_id, f.subject_id, f.group_id, f.class_id, f.teacher_id,
       f.value_raw AS period_mark, s.counted_marks, round(s.avg_mark, 2) AS avg_mark,
       round(s.weighted_avg, 2) AS weighted_avg,
       rounded_mark(s.weighted_avg, $round_to_3, $round_to_4, $round_to_5) AS expected_mark,
       printf('%.2f→%s', s.weighted_avg, f.value_raw) AS detail
FROM scope_period_marks f
JOIN scope_period_mark_stats s USING (period_id, student_id, subject_id)
WHERE NOT f.is_previous AND f.grade >= $min_grade AND f.value_kind = 'grade'
  AND f.value_num <> rounded_mark(s.weighted_avg, $round_to_3, $round_to_4, $round_to_5)
ORDER BY period_id, class_id, student_id, subject_id;
