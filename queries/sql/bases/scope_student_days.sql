-- Each student's school day per class: held lessons in scope that day, absences by reason and lateness
-- (one row per student, class and day). Shared by attendance_students, chronic_absentees and
-- illness_spikes. Counted without expanding every student-lesson: each membership takes its group's
-- held lessons per day, and the sparse attendance rows (scope_member_attendance) add their statuses.
-- A student-lesson counts once, or once per attendance row if it has several (as a join would).
WITH group_days AS (
    SELECT group_id, school_id, class_id, grade, lesson_date, count(*) AS lessons
    FROM scope_lessons
    WHERE status = 'held'
    GROUP BY ALL
),
counts AS (
    SELECT m.student_id, d.school_id, d.class_id, d.grade, d.lesson_date, d.lessons,
           0 AS absences, 0 AS absent_illness, 0 AS absent_excused, 0 AS absent_unexcused, 0 AS late
    FROM scope_memberships m
    JOIN group_days d
      ON d.group_id = m.group_id
     AND d.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR d.lesson_date <= m.valid_to)
    UNION ALL
    SELECT student_id, school_id, class_id, grade, lesson_date,
           count(*) - count(DISTINCT (membership_id, lesson_id)),
           count(*) FILTER (WHERE is_absent),
           count(*) FILTER (WHERE attendance_status = 'absent_illness'),
           count(*) FILTER (WHERE attendance_status = 'absent_excused'),
           count(*) FILTER (WHERE attendance_status = 'absent_unexcused'),
           count(*) FILTER (WHERE attendance_status = 'late')
    FROM scope_member_attendance
    GROUP BY student_id, school_id, class_id, grade, lesson_date
)
SELECT student_id, school_id, class_id, grade, lesson_date,
       sum(lessons)::BIGINT AS lessons, sum(absences)::BIGINT AS absences,
       sum(absent_illness)::BIGINT AS absent_illness, sum(absent_excused)::BIGINT AS absent_excused,
       sum(absent_unexcused)::BIGINT AS absent_unexcused, sum(late)::BIGINT AS late
FROM counts
GROUP BY student_id, school_id, class_id, grade, lesson_date
