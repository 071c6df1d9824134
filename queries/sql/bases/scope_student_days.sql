-- Each student's school day per class: held lessons in scope that day, absences by reason and lateness
-- (one row per student, class and day). Shared by attendance_students, chronic_absentees and
-- illness_spikes. Counted without expanding every student-lesson: each membership takes its group's
-- held lessons per day, and the sparse attendance rows (scope_member_attendance) add their statuses.
-- A student-lesson counts once, or once per attendance row if it has several (as a join would).
-- The day rows are summed under integer keys (`gk` a lesson group, `sk` a student with the school,
-- class and grade of a row): grouping millions of rows by four text columns cost twice as much.
WITH group_days AS (
    SELECT group_id, school_id, class_id, grade, lesson_date, count(*) AS lessons
    FROM scope_lessons
    WHERE status = 'held'
    GROUP BY ALL
),
day_groups AS (
    SELECT *, dense_rank() OVER (ORDER BY group_id, school_id, class_id, grade) AS gk
    FROM (SELECT DISTINCT group_id, school_id, class_id, grade FROM group_days)
),
keyed_days AS (
    SELECT g.gk, d.lesson_date, d.lessons
    FROM group_days d JOIN day_groups g USING (group_id, school_id, class_id, grade)
),
keys AS (
    SELECT m.membership_id, m.valid_from, m.valid_to, g.gk, g.group_id, m.student_id, g.school_id, g.class_id,
           g.grade, dense_rank() OVER (ORDER BY m.student_id, g.school_id, g.class_id, g.grade) AS sk
    FROM scope_memberships m JOIN day_groups g USING (group_id)
),
members AS (
    SELECT k.sk, d.lesson_date, sum(d.lessons) AS lessons
    FROM keys k
    JOIN keyed_days d
      ON d.gk = k.gk AND d.lesson_date >= k.valid_from AND (k.valid_to IS NULL OR d.lesson_date <= k.valid_to)
    GROUP BY k.sk, d.lesson_date
),
marked AS (
    SELECT k.sk, a.lesson_date,
           count(*) - count(DISTINCT (a.membership_id, a.lesson_id)) AS extra,
           count(*) FILTER (WHERE a.is_absent) AS absences,
           count(*) FILTER (WHERE a.attendance_status = 'absent_illness') AS absent_illness,
           count(*) FILTER (WHERE a.attendance_status = 'absent_excused') AS absent_excused,
           count(*) FILTER (WHERE a.attendance_status = 'absent_unexcused') AS absent_unexcused,
           count(*) FILTER (WHERE a.attendance_status = 'late') AS late
    FROM scope_member_attendance a
    JOIN keys k ON k.membership_id = a.membership_id AND k.group_id = a.group_id AND k.school_id = a.school_id
               AND k.class_id = a.class_id AND k.grade = a.grade
    GROUP BY k.sk, a.lesson_date
),
students AS (
    SELECT DISTINCT sk, student_id, school_id, class_id, grade FROM keys
)
SELECT s.student_id, s.school_id, s.class_id, s.grade, m.lesson_date,
       (m.lessons + coalesce(a.extra, 0))::BIGINT AS lessons,
       coalesce(a.absences, 0) AS absences, coalesce(a.absent_illness, 0) AS absent_illness,
       coalesce(a.absent_excused, 0) AS absent_excused, coalesce(a.absent_unexcused, 0) AS absent_unexcused,
       coalesce(a.late, 0) AS late
FROM members m
JOIN students s USING (sk)
LEFT JOIN marked a USING (sk, lesson_date)
