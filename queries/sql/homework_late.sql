-- Held lessons whose homework was entered later than [deadlines].homework_days after the lesson day
-- (regulation 2.7). A lesson with several homework rows counts its earliest entry; rows without
-- entered_at cannot be judged.
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, l.lesson_number,
       min(h.entered_at) AS entered_at,
       date_diff('day', l.lesson_date, min(h.entered_at)::DATE) AS lag_days
FROM scope_lessons l
JOIN journal_homework() h ON h.lesson_id = l.lesson_id
                             AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
WHERE l.status = 'held'
GROUP BY l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id, l.lesson_date, l.lesson_number
HAVING date_diff('day', l.lesson_date, min(h.entered_at)::DATE) > $homework_days
ORDER BY event_date, group_id, lesson_number, lesson_id;
