-- Class × day where at least [attendance].illness_spike_share of the class's students who had lessons
-- that day were absent through illness: a possible quarantine. `quarantine` tells whether a quarantine
-- for the class (or its whole grade) is already recorded for the day.
WITH d AS (
    SELECT school_id, class_id, grade, lesson_date,
           count(DISTINCT student_id) AS students,
           count(DISTINCT student_id) FILTER (WHERE attendance_status = 'absent_illness') AS ill
    FROM student_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
    GROUP BY ALL
)
SELECT d.class_id, d.lesson_date AS event_date, d.students, d.ill, round(d.ill / d.students, 4) AS ill_share,
       EXISTS (SELECT 1 FROM holidays h
               WHERE h.school_id = d.school_id AND h.kind = 'quarantine'
                 AND d.lesson_date BETWEEN h.start_date AND h.end_date
                 AND d.grade BETWEEN h.grade_from AND h.grade_to
                 AND (h.group_id IS NULL OR h.group_id = d.class_id)) AS quarantine
FROM d
WHERE d.ill >= $illness_spike_share * d.students AND d.ill > 0
ORDER BY event_date, class_id;
