-- Held lessons of each group × subject in each reporting period in scope (scope_lessons, the period's dates
-- and grade band): how many, the first and the last in timetable order, and the teacher of most of them (on
-- a tie, the larger id). Shared by two_on_period_edge (the edges) and assessment_share_high (the
-- denominator).
WITH p AS (SELECT * FROM scoped_periods($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)),
held AS (
    SELECT p.id AS period_id, p.school_id, l.group_id, l.subject_id, l.teacher_id, l.lesson_id, l.lesson_date,
           l.lesson_number
    FROM p
    JOIN scope_lessons l
      ON l.school_id = p.school_id AND l.lesson_date BETWEEN p.start_date AND p.end_date
     AND l.grade BETWEEN p.grade_from AND p.grade_to
    WHERE l.status = 'held'
),
courses AS (
    SELECT period_id, school_id, group_id, subject_id, count(*) AS lessons_held,
           arg_min(lesson_id, (lesson_date, coalesce(lesson_number, 99), lesson_id)) AS first_lesson_id,
           arg_max(lesson_id, (lesson_date, coalesce(lesson_number, -1), lesson_id)) AS last_lesson_id
    FROM held
    GROUP BY ALL
),
teachers AS (
    SELECT period_id, group_id, subject_id, arg_max(teacher_id, (lessons, teacher_id)) AS teacher_id
    FROM (SELECT period_id, group_id, subject_id, teacher_id, count(*) AS lessons FROM held GROUP BY ALL)
    GROUP BY ALL
)
SELECT c.*, t.teacher_id
FROM courses c
LEFT JOIN teachers t USING (period_id, group_id, subject_id)
