-- Each student × subject over the held lessons in scope: lessons, absences, lessons attended, the
-- lowest grade, and the group, the class and the teacher of most of those lessons (each chosen on its
-- own; a tie goes to the one with the later last lesson, then to the larger id, so the choice is the
-- same on every run). Shared by na_risk and student_marks_density.
-- One pass over the student × lesson base (`parts`, a few rows per student and subject); the totals
-- and the three choices are taken from it.
WITH parts AS MATERIALIZED (
    SELECT student_id, subject_id, group_id, class_id, teacher_id,
           min(grade) AS grade, count(*) AS n, max(lesson_date) AS last_day,
           count(*) FILTER (WHERE is_absent) AS absences,
           count(*) FILTER (WHERE NOT is_absent) AS lessons_attended
    FROM scope_student_lessons
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
