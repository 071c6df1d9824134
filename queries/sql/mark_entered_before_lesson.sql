-- Marks whose entry date is before their lesson's date (data-formats §10.1; the loader also flags them).
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, value_raw, entered_by, entered_at,
       date_diff('day', entered_at::DATE, lesson_date) AS days_before
FROM scope_marks
WHERE lesson_status = 'held' AND grade >= $min_grade AND entered_at::DATE < lesson_date
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
