-- Marks whose entry date is before their lesson's date (data-formats §10.1; the loader also flags them).
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, value_raw, entered_by, entered_at,
       date_diff('day', entered_at::DATE, lesson_date) AS days_before
FROM scoped_marks($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
WHERE lesson_status = 'held' AND grade >= $min_grade AND entered_at::DATE < lesson_date
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
