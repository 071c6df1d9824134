-- Per teacher and kind of entry (mark, topic, attendance, homework): how many entries were made on
-- the lesson day, within a day (by the end of the next calendar day: the lesson time is not known)
-- and within their deadline. Shares are of `timed` entries; `untimed` have no entry time and marks
-- known only by first_seen_at count as on time only when their upper bound already is.
WITH l AS (
    SELECT * FROM scope_lessons
    WHERE status = 'held'
),
entries AS (
    SELECT teacher_id, 'mark' AS item, lag_days_max AS lag_days, lag_basis = 'entered_at' AS is_exact,
           timeliness = 'on_time' AS in_time
    FROM scope_marks
    WHERE lesson_status = 'held' AND grade >= $min_grade
    UNION ALL
    SELECT teacher_id, 'topic', date_diff('day', lesson_date, topic_entered_at::DATE), topic_entered_at IS NOT NULL,
           date_diff('day', lesson_date, topic_entered_at::DATE) <= $topic_days
    FROM l WHERE NOT topic_missing
    UNION ALL
    SELECT teacher_id, 'attendance', date_diff('day', lesson_date, attendance_taken_at::DATE), true,
           date_diff('day', lesson_date, attendance_taken_at::DATE) <= $attendance_days
    FROM l WHERE attendance_taken_at IS NOT NULL
    UNION ALL
    SELECT l.teacher_id, 'homework', date_diff('day', l.lesson_date, min(h.entered_at)::DATE),
           min(h.entered_at) IS NOT NULL,
           date_diff('day', l.lesson_date, min(h.entered_at)::DATE) <= $homework_days
    FROM l JOIN journal_homework() h ON h.lesson_id = l.lesson_id
                                        AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
    GROUP BY l.lesson_id, l.teacher_id, l.lesson_date
)
SELECT teacher_id, item,
       count(*) AS entries,
       count(*) FILTER (WHERE lag_days IS NOT NULL) AS timed,
       count(*) FILTER (WHERE lag_days IS NULL) AS untimed,
       count(*) FILTER (WHERE NOT is_exact AND lag_days IS NOT NULL) AS bounded_only,
       unnest(entry_timeliness(lag_days, in_time))  -- on_lesson_day … share_within_deadline (_setup.sql)
FROM entries
GROUP BY teacher_id, item
ORDER BY teacher_id, item;
