-- Student-lessons of each held lesson in scope counted by attendance status (NULL = present): a row or
-- two per lesson instead of one per student. Shared by attendance_summary and lesson_marks_density,
-- which count student-lessons per lesson, class, subject or day, never per student. The members of a
-- lesson are its group's covering memberships plus those of the others valid that day
-- (scope_memberships); those with an attendance row (scope_member_attendance) count under its status.
WITH covering AS (
    SELECT group_id, count(*) AS members FROM scope_memberships WHERE covers_all GROUP BY group_id
),
partial AS (
    SELECT l.lesson_id, count(*) AS members
    FROM scope_lessons l
    JOIN scope_memberships m
      ON m.group_id = l.group_id AND NOT m.covers_all
     AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to)
    WHERE l.status = 'held'
    GROUP BY l.lesson_id
),
with_row AS (  -- members with at least one attendance row on the lesson
    SELECT lesson_id, count(DISTINCT membership_id) AS members
    FROM scope_member_attendance
    GROUP BY lesson_id
),
present AS (
    SELECT l.lesson_id, NULL::VARCHAR AS attendance_status, false AS is_absent,
           coalesce(c.members, 0) + coalesce(p.members, 0) - coalesce(w.members, 0) AS students
    FROM scope_lessons l
    LEFT JOIN covering c USING (group_id)
    LEFT JOIN partial p USING (lesson_id)
    LEFT JOIN with_row w USING (lesson_id)
    WHERE l.status = 'held'
)
SELECT lesson_id, attendance_status, is_absent, students FROM present WHERE students > 0
UNION ALL
SELECT lesson_id, attendance_status, is_absent, count(*) AS students
FROM scope_member_attendance
GROUP BY lesson_id, attendance_status, is_absent
