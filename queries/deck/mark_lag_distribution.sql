-- How many marks were entered 0, 1, 2, … days after their lesson (upper bound of the lag; the last
-- bucket holds every lag ≥ $lag_cap_days) — the shape behind the timeliness shares.
SELECT least(lag_days_max, $lag_cap_days) AS lag_days, count(*) AS marks,
       count(*) FILTER (WHERE timeliness = 'on_time') AS marks_in_time
FROM mark_lags($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id,
               $mark_days, $control_work_days, $named_work_types, $named_work_type_days)
WHERE lesson_status = 'held' AND grade >= $min_grade AND lag_days_max >= 0
GROUP BY 1
ORDER BY 1;
