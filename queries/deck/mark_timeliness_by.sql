-- Marks entered on the lesson day, within a day and within their deadline, cut by subject, class, week
-- and teacher × week (the deck's heatmap). The same mark rows and rules as the 'mark' item of
-- timeliness_summary.sql (held lessons, grades ≥ min_grade; lag = upper bound; shares of timed marks).
WITH e AS (
    SELECT teacher_id, subject_id, class_id, date_trunc('week', lesson_date)::DATE AS week_start,
           lag_days_max AS lag_days, timeliness = 'on_time' AS in_time
    FROM mark_lags($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id,
                   $mark_days, $control_work_days, $named_work_types, $named_work_type_days)
    WHERE lesson_status = 'held' AND grade >= $min_grade
)
SELECT CASE WHEN grouping(subject_id) = 0 THEN 'subject' WHEN grouping(class_id) = 0 THEN 'class'
            WHEN grouping(teacher_id) = 0 THEN 'teacher_week' ELSE 'week' END AS dimension,
       subject_id, class_id, teacher_id, week_start,
       count(*) AS entries,
       count(lag_days) AS timed,
       unnest(entry_timeliness(lag_days, in_time))  -- on_lesson_day … share_within_deadline (_setup.sql)
FROM e
GROUP BY GROUPING SETS ((subject_id), (class_id), (week_start), (teacher_id, week_start))
ORDER BY dimension, subject_id, class_id, teacher_id, week_start;
