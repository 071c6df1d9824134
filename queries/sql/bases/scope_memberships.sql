-- Memberships of the groups with held lessons in scope that overlap those lessons' days, and whether
-- one covers all of them (`covers_all`: from the group's first to its last held lesson in scope). The
-- student × lesson family (scope_student_days, scope_student_subjects, scope_lesson_attendance,
-- control_work_incomplete) counts a covering membership from its group's lesson totals and expands
-- only the others (a student who joined or left mid-scope) lesson by lesson.
WITH span AS (
    SELECT group_id, min(lesson_date) AS first_day, max(lesson_date) AS last_day
    FROM scope_lessons
    WHERE status = 'held'
    GROUP BY group_id
)
SELECT m.id AS membership_id, m.group_id, m.student_id, m.valid_from, m.valid_to,
       m.valid_from <= s.first_day AND (m.valid_to IS NULL OR m.valid_to >= s.last_day) AS covers_all
FROM memberships m
JOIN span s USING (group_id)
WHERE m.valid_from <= s.last_day AND (m.valid_to IS NULL OR m.valid_to >= s.first_day)
