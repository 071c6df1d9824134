-- Held lessons where the teacher never took the roll: attendance_taken_at is NULL (regulation 2.6).
-- absences_recorded shows absence rows that exist anyway (entered by someone else, e.g. the class teacher).
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, l.lesson_number,
       count(a.id) AS absences_recorded
FROM scope_lessons l
LEFT JOIN attendance a ON a.lesson_id = l.lesson_id AND a.deleted_at IS NULL
                       AND a.lesson_date BETWEEN $date_from AND $date_to
WHERE l.status = 'held' AND l.grade >= $min_grade AND l.attendance_taken_at IS NULL
GROUP BY ALL
ORDER BY event_date, group_id, lesson_number, lesson_id;
