-- Held lessons where the teacher never took the roll: attendance_taken_at is NULL (regulation 2.6).
-- Only lessons from a source system that records roll-call times at all (at least one of its lessons has
-- attendance_taken_at): МЭШ and most student-side APIs never give it, and for them "not taken" is unknown,
-- not a violation (docs/metrics.md).
-- absences_recorded shows absence rows that exist anyway (entered by someone else, e.g. the class teacher).
WITH roll_call_sources AS (
    SELECT DISTINCT source_system FROM lessons WHERE attendance_taken_at IS NOT NULL
)
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, l.lesson_number,
       count(a.id) AS absences_recorded
FROM scope_lessons l
JOIN lessons src ON src.id = l.lesson_id AND ($school_id IS NULL OR src.school_id = $school_id)
                AND src.source_system IN (SELECT source_system FROM roll_call_sources)
LEFT JOIN journal_attendance() a ON a.lesson_id = l.lesson_id
                                AND a.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR a.school_id = $school_id)
WHERE l.status = 'held' AND l.attendance_taken_at IS NULL
GROUP BY ALL
ORDER BY event_date, group_id, lesson_number, lesson_id;
