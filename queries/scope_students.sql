-- How many students the scope's figures are about: the members, on the lesson day, of the groups whose
-- lessons the scope selects (the same filters as scoped_lessons in sql/_setup.sql, which a fresh
-- connection has not built yet). A pseudonymised access is refused a scope of fewer than
-- access.min_group_size students (queries.scope.resolve): every figure of it would describe a few
-- children, and a row "about the whole scope" escapes the per-row rule.
SELECT count(DISTINCT m.student_id)
FROM lessons l
JOIN groups g ON g.id = l.group_id
JOIN memberships m
  ON m.group_id = l.group_id AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to)
WHERE l.deleted_at IS NULL
  AND l.lesson_date BETWEEN $date_from AND $date_to
  AND ($school_id IS NULL OR l.school_id = $school_id)
  AND g.grade BETWEEN $grade_from AND $grade_to
  AND ($group_id IS NULL OR g.id = $group_id OR g.parent_group_id = $group_id)
  AND ($subject_id IS NULL OR l.subject_id = $subject_id)
  AND ($teacher_id IS NULL OR coalesce(l.actual_teacher_id, l.planned_teacher_id) = $teacher_id);
