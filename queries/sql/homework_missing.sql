-- Held lessons with no homework row (regulation 2.7), except grades in [homework].exempt_grades and
-- subjects in [homework].exempt_subjects. The last lesson before a vacation and lessons on the last
-- day of a period are not exempt.
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id, l.subject_name,
       l.lesson_date AS event_date, l.lesson_number
FROM scope_lessons l
WHERE l.status = 'held'
  AND NOT list_contains($hw_exempt_grades, l.grade)
  AND NOT list_contains($hw_exempt_subjects, l.subject_name)
  AND NOT EXISTS (SELECT 1 FROM journal_homework() h WHERE h.lesson_id = l.lesson_id
                  AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id))
ORDER BY event_date, group_id, lesson_number, lesson_id;
