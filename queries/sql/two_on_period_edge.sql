-- A «2» on the first or the last held lesson of a group and subject within a reporting period in
-- scope (scope_period_courses gives the two). domain-notes §1.3.
-- one row per edge lesson (a lone lesson is only 'first'), so marks join on lesson_id by equality
WITH edge_lessons AS (
    SELECT period_id, first_lesson_id AS lesson_id, 'first' AS edge FROM scope_period_courses
    UNION ALL
    SELECT period_id, last_lesson_id, 'last' FROM scope_period_courses WHERE last_lesson_id <> first_lesson_id
)
SELECT m.mark_id, e.period_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, m.value_raw, e.edge
FROM scope_marks m
JOIN edge_lessons e USING (lesson_id)
WHERE m.grade >= $min_grade AND m.value_kind = 'grade' AND m.value_num = 2
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
