-- Homework entered before its lesson day: what regulation 2.7 recommends ("заранее размещать задания").
SELECT h.id AS homework_id, l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, h.entered_at,
       date_diff('day', h.entered_at::DATE, l.lesson_date) AS days_in_advance
FROM scope_lessons l
JOIN journal_homework() h ON h.lesson_id = l.lesson_id
                             AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
WHERE l.status = 'held' AND h.entered_at::DATE < l.lesson_date
ORDER BY event_date, group_id, homework_id;
