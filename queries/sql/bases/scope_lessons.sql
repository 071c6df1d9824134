-- Lessons in scope with their group's grade and class and the lesson's teacher (scoped_lessons in
-- _setup.sql): the base of every lesson-level metric.
SELECT * FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
