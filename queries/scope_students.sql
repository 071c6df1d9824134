-- How many students the scope's figures are about: the members, on the lesson day, of the groups whose
-- lessons the scope selects (scoped_lessons of sql/_setup.sql: the scope's own filters). A pseudonymised
-- access is refused a scope of fewer than access.min_group_size students (queries.scope.resolve): every
-- figure of it would describe a few children, and a row "about the whole scope" escapes the per-row rule.
SELECT count(DISTINCT m.student_id)
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id) l
JOIN memberships m
  ON m.group_id = l.group_id AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to);
