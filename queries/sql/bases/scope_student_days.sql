-- Each student's school day per class: held lessons in scope that day, absences by reason and lateness
-- (one row per student, class and day instead of one per lesson: a fifth of the student × lesson
-- base). Shared by attendance_students, chronic_absentees and illness_spikes.
SELECT student_id, school_id, class_id, grade, lesson_date,
       count(*) AS lessons,
       count(*) FILTER (WHERE is_absent) AS absences,
       count(*) FILTER (WHERE attendance_status = 'absent_illness') AS absent_illness,
       count(*) FILTER (WHERE attendance_status = 'absent_excused') AS absent_excused,
       count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS absent_unexcused,
       count(*) FILTER (WHERE attendance_status = 'late') AS late
FROM scope_student_lessons
GROUP BY student_id, school_id, class_id, grade, lesson_date
