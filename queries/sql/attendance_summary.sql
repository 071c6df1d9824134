-- Attendance in student-lessons (held lessons × members of the group that day), by class, subject,
-- week and month and in total: absences by reason, lateness, and the attendance rate
-- (1 − absences / student-lessons; being late or exempt is not an absence). Regulation 2.6, 2.13.
-- The absences by reason also as shares of the student-lessons (illness_share, excused_share,
-- unexcused_share): a month with a vacation in it, or cut by the scope (January from the 12th), has fewer
-- lessons and so fewer absences; the shares compare months, weeks and classes of different length.
-- Student-lessons are first counted per class, subject, day and status (a few rows per lesson day), from
-- their counts per lesson, so the five groupings add up small counts instead of each reading every
-- student-lesson. `students` (class and subject rows: the members of the groups whose held lessons the row
-- counts; week and month rows: the members on the days of those lessons) is the head count the small-group
-- rule reads (queries.access.small_groups_kept): a subject taught to a subgroup of two (an elective, a pupil
-- taught at home), or a week in which only such a group had lessons, is a row about those two children.
WITH daily AS (
    SELECT l.class_id, l.subject_id, l.lesson_date, a.attendance_status, a.is_absent, sum(a.students)::BIGINT AS n
    FROM scope_lesson_attendance a
    JOIN scope_lessons l USING (lesson_id)
    GROUP BY ALL
),
counted AS (
    SELECT *, date_trunc('week', lesson_date)::DATE AS week_start, date_trunc('month', lesson_date)::DATE AS month_start
    FROM daily
),
taught AS (  -- who sat the held lessons of each class and subject
    SELECT DISTINCT l.class_id, l.subject_id, m.student_id
    FROM (SELECT DISTINCT group_id, class_id, subject_id FROM scope_lessons WHERE status = 'held') l
    JOIN scope_memberships m USING (group_id)
),
sat AS (  -- who was a member on the days of the held lessons of each week and month
    SELECT DISTINCT date_trunc('week', d.lesson_date)::DATE AS week_start,
           date_trunc('month', d.lesson_date)::DATE AS month_start, m.student_id
    FROM (SELECT DISTINCT group_id, lesson_date FROM scope_lessons WHERE status = 'held') d
    JOIN scope_memberships m ON m.group_id = d.group_id AND d.lesson_date >= m.valid_from
                            AND (m.valid_to IS NULL OR d.lesson_date <= m.valid_to)
),
heads AS (
    SELECT CASE WHEN grouping(class_id) = 0 THEN 'class' ELSE 'subject' END AS dimension,
           coalesce(class_id, subject_id) AS unit, count(DISTINCT student_id) AS students
    FROM taught
    GROUP BY GROUPING SETS ((class_id), (subject_id))
    UNION ALL
    SELECT CASE WHEN grouping(week_start) = 0 THEN 'week' ELSE 'month' END,
           coalesce(week_start, month_start)::VARCHAR, count(DISTINCT student_id)
    FROM sat
    GROUP BY GROUPING SETS ((week_start), (month_start))
),
summary AS (
SELECT
    CASE WHEN grouping(class_id) = 0 THEN 'class'
         WHEN grouping(subject_id) = 0 THEN 'subject'
         WHEN grouping(week_start) = 0 THEN 'week'
         WHEN grouping(month_start) = 0 THEN 'month'
         ELSE 'total' END AS dimension,
    class_id, subject_id, week_start, month_start,
    sum(n)::BIGINT AS student_lessons,
    coalesce(sum(n) FILTER (WHERE is_absent), 0)::BIGINT AS absences,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_illness'), 0)::BIGINT AS absent_illness,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_excused'), 0)::BIGINT AS absent_excused,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_unexcused'), 0)::BIGINT AS absent_unexcused,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'late'), 0)::BIGINT AS late,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'exempt'), 0)::BIGINT AS exempt,
    1 - coalesce(sum(n) FILTER (WHERE is_absent), 0)::BIGINT / sum(n)::BIGINT AS attendance_rate,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_illness'), 0)::BIGINT / sum(n)::BIGINT AS illness_share,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_excused'), 0)::BIGINT / sum(n)::BIGINT AS excused_share,
    coalesce(sum(n) FILTER (WHERE attendance_status = 'absent_unexcused'), 0)::BIGINT / sum(n)::BIGINT AS unexcused_share
FROM counted
GROUP BY GROUPING SETS ((class_id), (subject_id), (week_start), (month_start), ())
HAVING sum(n) > 0
)
SELECT s.dimension, s.class_id, s.subject_id, s.week_start, s.month_start, h.students, s.student_lessons, s.absences,
       s.absent_illness, s.absent_excused, s.absent_unexcused, s.late, s.exempt, s.attendance_rate,
       s.illness_share, s.excused_share, s.unexcused_share
FROM summary s
LEFT JOIN heads h ON h.dimension = s.dimension
                 AND h.unit = coalesce(s.class_id, s.subject_id, coalesce(s.week_start, s.month_start)::VARCHAR)
ORDER BY s.dimension, s.class_id, s.subject_id, s.week_start, s.month_start;
