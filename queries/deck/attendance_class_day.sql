-- Attendance per class and day (the class × day heat map): student-lessons, absences, illness, rate.
-- Same student-lessons and absence rule as attendance_summary.sql (regulation 2.6, 2.13).
SELECT class_id, lesson_date AS event_date,
       count(*) AS student_lessons,
       count(*) FILTER (WHERE is_absent) AS absences,
       count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
       1 - count(*) FILTER (WHERE is_absent) / count(*) AS attendance_rate
FROM student_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
GROUP BY class_id, lesson_date
ORDER BY class_id, event_date;
