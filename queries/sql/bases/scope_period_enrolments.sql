-- Students enrolled in each course of the periods in scope (period_enrolments of _setup.sql).
SELECT * FROM period_enrolments($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id, $as_of)
