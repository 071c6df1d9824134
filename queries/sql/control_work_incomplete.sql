-- Control works without a full row of marks (regulation 2.10; domain-notes §1.3): held lessons with at
-- least one mark of a control work type where, [journal].control_work_grace_days after the lesson,
-- some student who was a member of the group that day and not absent (late counts as present) had
-- no mark on it. Lessons younger than the grace period on `as_of` are not judged yet. A mark counts
-- from its entered_at (else first_seen_at).
-- Students are counted per lesson alone; the lesson's context comes from scope_lessons.
WITH cw AS (
    SELECT DISTINCT lesson_id FROM scope_marks
    WHERE is_control AND lesson_status = 'held' AND grade >= $min_grade
),
expected AS (  -- members of the group that day, each once per attendance row if it has any
    SELECT l.lesson_id, m.student_id
    FROM scope_lessons l
    SEMI JOIN cw USING (lesson_id)
    JOIN scope_memberships m
      ON m.group_id = l.group_id
     AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to)
    LEFT JOIN scope_member_attendance a ON a.lesson_id = l.lesson_id AND a.membership_id = m.membership_id
    WHERE (a.attendance_status IS NULL OR a.attendance_status = 'late')
      AND l.lesson_date + to_days($control_work_grace_days) <= $as_of
),
cw_lessons AS (  -- the control-work lessons with their day: a few rows, the side marks are probed against
    SELECT l.lesson_id, l.lesson_date FROM scope_lessons l SEMI JOIN cw USING (lesson_id)
),
in_time AS (
    SELECT DISTINCT mk.lesson_id, mk.student_id
    FROM journal_marks() mk JOIN cw_lessons l USING (lesson_id)
    WHERE mk.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR mk.school_id = $school_id)
      AND coalesce(mk.entered_at, mk.first_seen_at)::DATE <= l.lesson_date + to_days($control_work_grace_days)
),
counted AS (
    SELECT e.lesson_id,
           count(*) AS students_expected,
           count(t.student_id) AS students_marked,
           list_sort(list(e.student_id) FILTER (WHERE t.student_id IS NULL)) AS unmarked_students
    FROM expected e
    LEFT JOIN in_time t ON t.lesson_id = e.lesson_id AND t.student_id = e.student_id
    GROUP BY e.lesson_id
    HAVING count(*) > count(t.student_id)
)
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date,
       c.students_expected, c.students_marked,
       c.students_expected - c.students_marked AS students_unmarked,
       c.unmarked_students,
       CAST(c.students_expected - c.students_marked AS VARCHAR) AS detail
FROM counted c
JOIN scope_lessons l USING (lesson_id)
ORDER BY event_date, group_id, lesson_id;
