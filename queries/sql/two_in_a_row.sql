-- Two «2» in a row: a student's grade mark of 2 whose previous grade mark in the same subject (in
-- lesson order, any group) was also 2. The row is the second «2». domain-notes §1.3.
-- Only a student's subject with at least two «2» can hold such a pair, so the window runs over the
-- grade marks of those few (student, subject) only, carrying the listing's columns (cheaper than
-- joining the hits back to every mark).
WITH candidates AS (
    SELECT student_id, subject_id FROM scope_marks
    WHERE lesson_status = 'held' AND value_kind = 'grade' AND value_num = 2
    GROUP BY student_id, subject_id HAVING count(*) >= 2
),
g AS (
    SELECT m.mark_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
           m.lesson_date, m.value_raw, m.value_num, m.grade,
           lag(m.value_num) OVER w AS previous_value,
           lag(m.lesson_date) OVER w AS previous_date
    FROM scope_marks m SEMI JOIN candidates USING (student_id, subject_id)
    WHERE m.lesson_status = 'held' AND m.value_kind = 'grade'
    WINDOW w AS (PARTITION BY m.student_id, m.subject_id
                 ORDER BY m.lesson_date, m.lesson_number NULLS LAST, m.lesson_id, m.mark_id)
)
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, previous_date, value_raw
FROM g
WHERE grade >= $min_grade AND value_num = 2 AND previous_value = 2
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
