-- Attendance rows (absent, late, exempt) on held lessons in scope whose student was a member of the
-- lesson's group that day, one row per membership and attendance row, with the lesson's context: the
-- sparse part of held lessons × students (a student-lesson without a row is present). The student ×
-- lesson family adds these to the members' lesson counts instead of joining every student-lesson to
-- attendance. Membership on the lesson day as in student_lessons of _setup.sql.
SELECT m.membership_id, l.lesson_id, l.school_id, l.group_id, l.class_id, l.grade, l.subject_id,
       l.lesson_date, l.teacher_id, m.student_id, a.status AS attendance_status,
       is_absence(a.status) AS is_absent
FROM scope_lessons l
JOIN (
    SELECT lesson_id, student_id, status FROM journal_attendance()
    WHERE lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR school_id = $school_id)
) a ON a.lesson_id = l.lesson_id
JOIN scope_memberships m
  ON m.group_id = l.group_id AND m.student_id = a.student_id
 AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to)
WHERE l.status = 'held'
