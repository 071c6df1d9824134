-- Student-lessons of each held lesson in scope counted by attendance status (NULL = present): a row or
-- two per lesson instead of one per student. Shared by attendance_summary and lesson_marks_density,
-- which count student-lessons per lesson, class, subject or day, never per student.
SELECT lesson_id, attendance_status, is_absent, count(*) AS students
FROM scope_student_lessons
GROUP BY lesson_id, attendance_status, is_absent
