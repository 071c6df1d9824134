-- Marks (not deleted) on lessons in scope with the lesson's context and the work type (scoped_marks of _setup.sql).
SELECT * FROM scoped_marks($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
