-- Grade marks without a work type (regulation 2.10: the teacher states what the mark is for).
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, value_raw
FROM scope_marks
WHERE lesson_status = 'held' AND grade >= $min_grade AND work_type_id IS NULL AND value_kind = 'grade'
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
