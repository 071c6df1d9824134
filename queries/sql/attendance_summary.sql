-- Attendance in student-lessons (held lessons × members of the group that day), by class, subject,
-- week and month and in total: absences by reason, lateness, and the attendance rate
-- (1 − absences / student-lessons; being late or exempt is not an absence). Regulation 2.6, 2.13.
SELECT
    CASE WHEN grouping(class_id) = 0 THEN 'class'
         WHEN grouping(subject_id) = 0 THEN 'subject'
         WHEN grouping(week_start) = 0 THEN 'week'
         WHEN grouping(month_start) = 0 THEN 'month'
         ELSE 'total' END AS dimension,
    class_id, subject_id, week_start, month_start,
    count(*) AS student_lessons,
    count(*) FILTER (WHERE is_absent) AS absences,
    count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
    count(*) FILTER (WHERE attendance_status = 'absent_excused') AS absent_excused,
    count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS absent_unexcused,
    count(*) FILTER (WHERE attendance_status = 'late') AS late,
    count(*) FILTER (WHERE attendance_status = 'exempt') AS exempt,
    round(1 - count(*) FILTER (WHERE is_absent) / count(*), 4) AS attendance_rate
FROM (
    SELECT *, date_trunc('week', lesson_date)::DATE AS week_start, date_trunc('month', lesson_date)::DATE AS month_start
    FROM scope_student_lessons
)
GROUP BY GROUPING SETS ((class_id), (subject_id), (week_start), (month_start), ())
HAVING count(*) > 0
ORDER BY dimension, class_id, subject_id, week_start, month_start;
