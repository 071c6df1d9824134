-- Illness spikes and quarantines per class and day. source 'attendance': at least
-- [attendance].illness_spike_share of the class's students who had lessons that day were absent through
-- illness (a possible quarantine; `quarantine` tells whether one is recorded for the day). source
-- 'quarantine': the first day of a quarantine recorded for the class (its lessons are cancelled, so
-- attendance cannot show it).
WITH d AS (  -- one row per student and day in scope_student_days: counting rows counts students
    SELECT school_id, class_id, grade, lesson_date,
           count(*) AS students,
           count(*) FILTER (WHERE absent_illness > 0) AS ill
    FROM scope_student_days
    GROUP BY ALL
)
SELECT d.class_id, d.lesson_date AS event_date, 'attendance' AS source, d.students, d.ill,
       d.ill / d.students AS ill_share,
       EXISTS (SELECT 1 FROM holidays h
               WHERE h.school_id = d.school_id AND h.kind = 'quarantine'
                 AND d.lesson_date BETWEEN h.start_date AND h.end_date
                 AND d.grade BETWEEN h.grade_from AND h.grade_to
                 AND (h.group_id IS NULL OR h.group_id = d.class_id)) AS quarantine
FROM d
WHERE d.ill >= $illness_spike_share * d.students AND d.ill > 0
UNION ALL
SELECT g.id, h.start_date, 'quarantine', NULL, NULL, NULL, true
FROM holidays h
JOIN groups g ON g.id = h.group_id
WHERE h.kind = 'quarantine' AND h.start_date BETWEEN $date_from AND $date_to
  AND ($school_id IS NULL OR h.school_id = $school_id)
  AND g.grade BETWEEN $grade_from AND $grade_to
  AND ($group_id IS NULL OR g.id = $group_id OR g.parent_group_id = $group_id)
ORDER BY event_date, class_id, source;
