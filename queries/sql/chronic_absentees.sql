-- Systematic absence: a student missed at least [attendance].systematic_absence_share of the month's
-- student-lessons (all reasons; domain-notes §2, §4.2). Months are cut to the scope's dates.
SELECT student_id, mode(class_id) AS class_id, date_trunc('month', lesson_date)::DATE AS month_start,
       count(*) AS lessons,
       count(*) FILTER (WHERE is_absent) AS absences,
       count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
       count(*) FILTER (WHERE attendance_status = 'absent_excused') AS absent_excused,
       count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS absent_unexcused,
       round(count(*) FILTER (WHERE is_absent) / count(*), 4) AS absence_share
FROM scope_student_lessons
GROUP BY student_id, month_start
HAVING count(*) FILTER (WHERE is_absent) >= $systematic_absence_share * count(*)
ORDER BY month_start, class_id, student_id;
