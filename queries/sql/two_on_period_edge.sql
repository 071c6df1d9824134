-- A «2» on the first or the last held lesson of a group and subject within a reporting period in
-- scope. domain-notes §1.3.
WITH p AS (SELECT * FROM scoped_periods($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)),
edges AS (
    SELECT p.id AS period_id, l.group_id, l.subject_id,
           arg_min(l.lesson_id, (l.lesson_date, coalesce(l.lesson_number, 99), l.lesson_id)) AS first_lesson_id,
           arg_max(l.lesson_id, (l.lesson_date, coalesce(l.lesson_number, -1), l.lesson_id)) AS last_lesson_id
    FROM p
    JOIN scope_lessons l
      ON l.school_id = p.school_id AND l.lesson_date BETWEEN p.start_date AND p.end_date
     AND l.grade BETWEEN p.grade_from AND p.grade_to
    WHERE l.status = 'held'
    GROUP BY ALL
),
-- one row per edge lesson (a lone lesson is only 'first'), so marks join on lesson_id by equality
edge_lessons AS (
    SELECT period_id, first_lesson_id AS lesson_id, 'first' AS edge FROM edges
    UNION ALL
    SELECT period_id, last_lesson_id, 'last' FROM edges WHERE last_lesson_id <> first_lesson_id
)
SELECT m.mark_id, e.period_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, m.value_raw, e.edge
FROM scope_marks m
JOIN edge_lessons e USING (lesson_id)
WHERE m.grade >= $min_grade AND m.value_kind = 'grade' AND m.value_num = 2
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
