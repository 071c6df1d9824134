-- Absences of each student (per class they were in): lessons missed by reason, lateness, and full days
-- missed (every held lesson of the student that day missed; the day's reason is unexcused if any
-- lesson was, else illness if any, else excused). domain-notes §4.2; regulation 2.13.
WITH sl AS (SELECT * FROM scope_student_lessons),
days AS (
    SELECT student_id, class_id, lesson_date,
           bool_and(is_absent) AS full_day,
           CASE WHEN bool_or(attendance_status = 'absent_unexcused') THEN 'unexcused'
                WHEN bool_or(attendance_status = 'absent_illness') THEN 'illness'
                ELSE 'excused' END AS day_reason
    FROM sl GROUP BY ALL
)
SELECT s.student_id, s.class_id, s.lessons, s.absences, s.absent_illness, s.absent_excused,
       s.absent_unexcused, s.late, round(s.absences / s.lessons, 4) AS absence_share,
       coalesce(d.full_days, 0) AS full_days_missed,
       coalesce(d.full_days_illness, 0) AS full_days_illness,
       coalesce(d.full_days_excused, 0) AS full_days_excused,
       coalesce(d.full_days_unexcused, 0) AS full_days_unexcused
FROM (
    SELECT student_id, class_id, count(*) AS lessons,
           count(*) FILTER (WHERE is_absent) AS absences,
           count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
           count(*) FILTER (WHERE attendance_status = 'absent_excused') AS absent_excused,
           count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS absent_unexcused,
           count(*) FILTER (WHERE attendance_status = 'late') AS late
    FROM sl GROUP BY ALL
) s
LEFT JOIN (
    SELECT student_id, class_id, count(*) AS full_days,
           count(*) FILTER (WHERE day_reason = 'illness') AS full_days_illness,
           count(*) FILTER (WHERE day_reason = 'excused') AS full_days_excused,
           count(*) FILTER (WHERE day_reason = 'unexcused') AS full_days_unexcused
    FROM days WHERE full_day GROUP BY ALL
) d USING (student_id, class_id)
ORDER BY class_id, student_id;
