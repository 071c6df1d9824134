-- Period marks entered more than [deadlines].period_mark_days after the period's last day
-- (regulation 2.11, annex 3 p.3). Marks without entered_at cannot be judged. Only periods that ended
-- before `as_of`, like every check of period marks (period_mark_missing.sql).
SELECT final_mark_id, period_id, student_id, subject_id, group_id, class_id, teacher_id, value_raw,
       entered_at, end_date AS period_end,
       date_diff('day', end_date, entered_at::DATE) AS days_after_end
FROM scope_period_marks
WHERE NOT is_previous AND grade >= $min_grade AND end_date < $as_of
  AND date_diff('day', end_date, entered_at::DATE) > $period_mark_days
ORDER BY period_id, class_id, student_id, subject_id;
