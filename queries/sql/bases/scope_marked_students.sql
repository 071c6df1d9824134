-- Each student marked on a held lesson in scope (one row per lesson and student, however many marks),
-- with the lesson's subject and whether any of those marks is of a control work type. Shared by
-- lesson_marks_density and student_marks_density: with many schools almost every mark is its own
-- (lesson, student) pair, and grouping them is the costliest step of both.
SELECT lesson_id, student_id, subject_id, bool_or(is_control) AS has_control
FROM scope_marks
WHERE lesson_status = 'held'
GROUP BY lesson_id, student_id, subject_id
