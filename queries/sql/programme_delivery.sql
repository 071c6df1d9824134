-- Programme delivery per group and subject up to min(date_to, as_of): held and cancelled lessons
-- against the calendar-thematic plan (plan lessons dated so far) and against the curriculum
-- (weekly hours × school weeks so far); `lag_lessons` = planned by КТП − held. Regulation 2.10.
WITH horizon AS (SELECT least($date_to, $as_of) AS day),
l AS (
    SELECT * FROM scope_lessons WHERE lesson_date <= (SELECT day FROM horizon)
),
done AS (
    SELECT group_id, subject_id, min(class_id) AS class_id, min(grade) AS grade, mode(teacher_id) AS teacher_id,
           count(*) FILTER (WHERE status = 'held') AS lessons_held,
           count(*) FILTER (WHERE status = 'cancelled') AS lessons_cancelled,
           count(DISTINCT plan_lesson_id) FILTER (WHERE status = 'held') AS plan_lessons_covered
    FROM l GROUP BY ALL
),
ktp AS (
    SELECT pl.group_id, pl.subject_id, sum(pl.hours)::BIGINT AS ktp_hours_planned
    FROM plan_lessons pl
    WHERE pl.planned_date BETWEEN $date_from AND (SELECT day FROM horizon)
    GROUP BY ALL
),
weeks AS (
    SELECT c.group_id, count(*) FILTER (WHERE c.is_school_day) / any_value(coalesce(s.school_week_days, $default_week_days)) AS school_weeks
    FROM school_calendar($date_from, (SELECT day FROM horizon), $school_id, $default_week_days) c
    JOIN groups g ON g.id = c.group_id LEFT JOIN schools s ON s.id = g.school_id
    GROUP BY c.group_id
),
cur AS (
    SELECT group_id, subject_id, max(weekly_hours)::DOUBLE AS weekly_hours FROM curriculum GROUP BY ALL
)
SELECT d.group_id, d.class_id, d.subject_id, d.teacher_id, d.lessons_held, d.lessons_cancelled,
       d.plan_lessons_covered, k.ktp_hours_planned,
       round(c.weekly_hours * w.school_weeks, 1) AS curriculum_hours_due,
       k.ktp_hours_planned - d.lessons_held AS lag_lessons,
       d.lessons_held / nullif(k.ktp_hours_planned, 0) AS delivery_share
FROM done d
LEFT JOIN ktp k USING (group_id, subject_id)
LEFT JOIN cur c USING (group_id, subject_id)
LEFT JOIN weeks w USING (group_id)
ORDER BY class_id, group_id, subject_id;
