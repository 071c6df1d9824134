-- Period marks of the periods in scope and of their previous periods (scoped_period_marks of _setup.sql).
SELECT * FROM scoped_period_marks($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
