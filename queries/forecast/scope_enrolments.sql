-- The student × course rows of one period that the scope (and, on a restricted connection, the access) holds
-- at $as_of, as features.sql enrols them: the forecast is computed for the period's whole school, so that a
-- pupil's figures are the same whichever filters are set and whoever looks, and then narrowed to these rows.
SELECT DISTINCT period_id, group_id, subject_id, student_id
FROM period_enrolments($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id,
                       $teacher_id, $as_of)
WHERE at_period_end;
