-- Two «2» in a row: a student's grade mark of 2 whose previous grade mark in the same subject (in
-- lesson order, any group) was also 2. The row is the second «2». domain-notes §1.3.
-- Only a student's subject with at least two «2» can hold such a pair, so the window runs over the
-- grade marks of those few (student, subject) only, over the columns it needs; the listing's other
-- columns are joined to the hits.
WITH graded AS (
    SELECT mark_id, student_id, subject_id, value_num, grade, lesson_date, lesson_number, lesson_id
    FROM scope_marks
    WHERE lesson_status = 'held' AND value_kind = 'grade'
),
candidates AS (
    SELECT student_id, subject_id FROM graded WHERE value_num = 2
    GROUP BY student_id, subject_id HAVING count(*) >= 2
),
g AS (
    SELECT mark_id, value_num, grade,
           lag(value_num) OVER w AS previous_value,
           lag(lesson_date) OVER w AS previous_date
    FROM graded SEMI JOIN candidates USING (student_id, subject_id)
    WINDOW w AS (PARTITION BY student_id, subject_id ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id, mark_id)
),
hits AS (
    SELECT mark_id, previous_date FROM g
    WHERE grade >= $min_grade AND value_num = 2 AND previous_value = 2
)
SELECT m.mark_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, h.previous_date, m.value_raw
FROM hits h
JOIN scope_marks m USING (mark_id)
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
