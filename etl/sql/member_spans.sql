-- Who counts as a member of a group on a date (flag_student_not_in_group, issue 2 §3): members of the
-- group itself, of one of its subgroups, or of its parent class. Open-ended memberships run to 9999.
CREATE OR REPLACE TEMP TABLE member_spans AS
SELECT m.student_id, m.group_id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31') AS valid_to
FROM memberships m
UNION ALL
SELECT m.student_id, g.parent_group_id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31')
FROM memberships m JOIN groups g ON g.id = m.group_id
WHERE g.parent_group_id IS NOT NULL
UNION ALL
SELECT m.student_id, sub.id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31')
FROM memberships m JOIN groups sub ON sub.parent_group_id = m.group_id
