-- Students of a class during a week (members on any day of it), for one printout page each.
SELECT DISTINCT m.student_id
FROM memberships m
WHERE m.group_id = $group_id AND m.valid_from <= $date_to AND (m.valid_to IS NULL OR m.valid_to >= $date_from)
ORDER BY m.student_id;
