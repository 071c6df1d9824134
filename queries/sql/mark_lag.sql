-- Entry lag of every mark on a held lesson in scope, in calendar days and school days (weekdays of the
-- school's week outside holidays), with the deadline of its work type. lag_basis 'entered_at' gives
-- an exact lag at lag_precision; 'first_seen' gives only bounds [lag_days_min, lag_days_max].
WITH m AS (
    SELECT * FROM scope_marks
    WHERE lesson_status = 'held'
),
cal AS (  -- per calendar, not per group (group_calendars): a few hundred rows a day, not one per group
    SELECT * FROM calendar_days($date_from, $date_to + to_days($max_entry_lag_days), $school_id, $default_week_days)
),
group_cal AS (
    SELECT group_id, calendar_id FROM group_calendars($school_id, $default_week_days)
)
SELECT
    m.mark_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
    m.lesson_date AS event_date, m.work_type_name, m.is_control, m.value_raw,
    m.entered_by, m.entered_at, m.lag_basis, m.lag_precision,
    CASE WHEN m.lag_basis = 'entered_at' THEN m.lag_days_max END AS lag_days,
    m.lag_days_min, m.lag_days_max,
    c_min.seq - c0.seq AS school_days_min,
    c_max.seq - c0.seq AS school_days_max,
    m.deadline_days, m.timeliness
FROM m
LEFT JOIN group_cal g ON g.group_id = m.group_id
LEFT JOIN cal c0 ON c0.calendar_id = g.calendar_id AND c0.day = m.lesson_date
LEFT JOIN cal c_min ON c_min.calendar_id = g.calendar_id AND c_min.day = m.lesson_date + to_days(m.lag_days_min)
LEFT JOIN cal c_max ON c_max.calendar_id = g.calendar_id AND c_max.day = m.lesson_date + to_days(m.lag_days_max)
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
