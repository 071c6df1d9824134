-- Each student × subject over the held lessons in scope: lessons, absences, lessons attended, the
-- lowest grade, and the group, the class and the teacher of most of those lessons (each chosen on its
-- own; a tie goes to the one with the later last lesson, then to the larger id, so the choice is the
-- same on every run). Shared by na_risk and student_marks_density.
-- The held lessons are counted per group, subject and teacher, not per student: a membership covering
-- all its group's lessons in scope (scope_memberships) takes those totals, the others are expanded
-- lesson by lesson, and the sparse attendance rows (scope_member_attendance) add the absences (`parts`,
-- a few rows per student and subject); the totals and the three choices are taken from it. A
-- student-lesson counts once, or once per attendance row if it has several (as a join would).
WITH group_lessons AS (
    SELECT group_id, subject_id, teacher_id, class_id, grade, count(*) AS n, max(lesson_date) AS last_day
    FROM scope_lessons
    WHERE status = 'held'
    GROUP BY group_id, subject_id, teacher_id, class_id, grade
),
counts AS (
    SELECT m.student_id, g.subject_id, g.group_id, g.class_id, g.teacher_id, g.grade, g.n, g.last_day,
           0 AS absences
    FROM scope_memberships m
    JOIN group_lessons g USING (group_id)
    WHERE m.covers_all
    UNION ALL
    SELECT m.student_id, l.subject_id, l.group_id, l.class_id, l.teacher_id, l.grade, 1, l.lesson_date, 0
    FROM scope_memberships m
    JOIN scope_lessons l
      ON l.group_id = m.group_id AND NOT m.covers_all
     AND l.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR l.lesson_date <= m.valid_to)
    WHERE l.status = 'held'
    UNION ALL
    SELECT student_id, subject_id, group_id, class_id, teacher_id, min(grade),
           count(*) - count(DISTINCT (membership_id, lesson_id)), NULL, count(*) FILTER (WHERE is_absent)
    FROM scope_member_attendance
    GROUP BY student_id, subject_id, group_id, class_id, teacher_id
),
parts AS MATERIALIZED (
    SELECT student_id, subject_id, group_id, class_id, teacher_id,
           min(grade) AS grade, sum(n)::BIGINT AS n, max(last_day) AS last_day,
           sum(absences)::BIGINT AS absences, (sum(n) - sum(absences))::BIGINT AS lessons_attended
    FROM counts
    GROUP BY student_id, subject_id, group_id, class_id, teacher_id
),
totals AS (
    SELECT student_id, subject_id, min(grade) AS grade, sum(n)::BIGINT AS lessons,
           sum(absences)::BIGINT AS absences, sum(lessons_attended)::BIGINT AS lessons_attended
    FROM parts
    GROUP BY student_id, subject_id
),
by_group AS (
    SELECT student_id, subject_id, arg_max(group_id, (n, last_day, group_id)) AS group_id
    FROM (SELECT student_id, subject_id, group_id, sum(n)::BIGINT AS n, max(last_day) AS last_day
          FROM parts GROUP BY ALL)
    GROUP BY student_id, subject_id
),
by_class AS (
    SELECT student_id, subject_id, arg_max(class_id, (n, last_day, class_id)) AS class_id
    FROM (SELECT student_id, subject_id, class_id, sum(n)::BIGINT AS n, max(last_day) AS last_day
          FROM parts GROUP BY ALL)
    GROUP BY student_id, subject_id
),
by_teacher AS (
    SELECT student_id, subject_id, arg_max(teacher_id, (n, last_day, teacher_id)) AS teacher_id
    FROM (SELECT student_id, subject_id, teacher_id, sum(n)::BIGINT AS n, max(last_day) AS last_day
          FROM parts WHERE teacher_id IS NOT NULL GROUP BY ALL)
    GROUP BY student_id, subject_id
)
SELECT t.student_id, t.subject_id, g.group_id, c.class_id, te.teacher_id, t.grade,
       t.lessons, t.absences, t.lessons_attended
FROM totals t
JOIN by_group g USING (student_id, subject_id)
JOIN by_class c USING (student_id, subject_id)
LEFT JOIN by_teacher te USING (student_id, subject_id)
