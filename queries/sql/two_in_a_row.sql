-- Two «2» in a row: a student's grade mark of 2 whose previous grade mark in the same subject (in
-- lesson order, any group) was also 2. The row is the second «2». domain-notes §1.3.
WITH g AS (
    SELECT *, lag(value_num) OVER (PARTITION BY student_id, subject_id
                                   ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id, mark_id) AS previous_value,
              lag(lesson_date) OVER (PARTITION BY student_id, subject_id
                                     ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id, mark_id) AS previous_date
    FROM scope_marks
    WHERE lesson_status = 'held' AND value_kind = 'grade'
)
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, previous_date, value_raw
FROM g
WHERE grade >= $min_grade AND value_num = 2 AND previous_value = 2
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
