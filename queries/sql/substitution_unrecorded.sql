-- Substitutions evident but not recorded (regulation 2.5): the lesson is not marked as a substitution,
-- yet its topic/roll was entered by another teacher than the lesson's teacher.
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, l.lesson_number, l.entered_by
FROM scope_lessons l
JOIN people p ON p.id = l.entered_by AND p.role = 'teacher'
WHERE l.status = 'held' AND NOT l.is_substitution
  AND l.entered_by <> l.teacher_id
ORDER BY event_date, group_id, lesson_number, lesson_id;
