-- Weekly printout for parents (annex 3 p.1): homework set in the week per student — for the lessons of
-- every group (class or subgroup) the student was a member of on the lesson day.
SELECT m.student_id, h.lesson_date, l.lesson_number, h.subject_id, h.due_date, h.text
FROM journal_homework() h
JOIN lessons l ON l.id = h.lesson_id AND l.deleted_at IS NULL AND l.status = 'held'
JOIN groups g ON g.id = h.group_id
JOIN memberships m ON m.group_id = h.group_id AND h.lesson_date >= m.valid_from
 AND (m.valid_to IS NULL OR h.lesson_date <= m.valid_to)
WHERE coalesce(g.parent_group_id, g.id) = $group_id
  AND h.lesson_date BETWEEN $date_from AND $date_to
ORDER BY m.student_id, h.lesson_date, l.lesson_number, h.subject_id, h.id;
