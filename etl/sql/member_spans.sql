-- Who counts as a member of a group on a date (flag_student_not_in_group, issue 2 §3): members of the
-- group itself, of one of its subgroups, or of its parent class. Open-ended memberships run to 9999.
-- Overlapping spans of one student in one group are merged, so the spans of a (student, group) are
-- disjoint: a fact row LEFT JOINs at most one span on its date, and no span means "not in the group".
CREATE OR REPLACE TEMP TABLE member_spans AS  -- UNION, not UNION ALL: identical spans would tie in the windows below
WITH spans AS (
    SELECT m.student_id, m.group_id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31') AS valid_to
    FROM memberships m
    UNION
    SELECT m.student_id, g.parent_group_id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31')
    FROM memberships m JOIN groups g ON g.id = m.group_id
    WHERE g.parent_group_id IS NOT NULL
    UNION
    SELECT m.student_id, sub.id, m.valid_from, coalesce(m.valid_to, DATE '9999-12-31')
    FROM memberships m JOIN groups sub ON sub.parent_group_id = m.group_id
),
starts AS (
    SELECT *, valid_from > coalesce(max(valid_to) OVER (
        PARTITION BY student_id, group_id ORDER BY valid_from, valid_to
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), DATE '0001-01-01') AS starts_island
    FROM spans
),
islands AS (
    SELECT *, count(*) FILTER (WHERE starts_island) OVER (
        PARTITION BY student_id, group_id ORDER BY valid_from, valid_to
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island
    FROM starts
)
SELECT student_id, group_id, min(valid_from) AS valid_from, max(valid_to) AS valid_to
FROM islands
GROUP BY student_id, group_id, island;
