-- Marks on a lesson where the same student is recorded absent (not late, not exempt) and the mark has
-- no comment: regulation 2.9 requires the absence to stay recorded in a comment.
SELECT m.mark_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, m.value_raw, a.raw_code AS attendance_code
FROM scope_marks m
JOIN journal_attendance() a ON a.lesson_id = m.lesson_id AND a.student_id = m.student_id
                          AND a.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR a.school_id = $school_id)
WHERE m.lesson_status = 'held' AND m.grade >= $min_grade
  AND is_absence(a.status) AND coalesce(trim(m.comment), '') = ''
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
