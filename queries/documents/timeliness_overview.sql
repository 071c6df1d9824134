-- Своевременность over the whole scope, per kind of entry (mark, topic, attendance, homework): the
-- entries of timeliness_summary (same definitions: regulation 2.5–2.8, annex 3 p.3) totalled over all
-- teachers, so the справка can say what share of the school's entries were in time. Reads the shared
-- bases (queries/bases.py) the finding metrics of the same справка have already built for this scope.
-- `possibly_late`: marks whose entry time the source does not give and whose bound straddles their
-- deadline; they count in `timed` but not as in time, so the share in time is a lower bound.
WITH l AS (
    SELECT * FROM scope_lessons
    WHERE status = 'held'
),
entries AS (
    SELECT 'mark' AS item, lag_days_max AS lag_days, timeliness = 'on_time' AS in_time,
           timeliness = 'possibly_late' AS undecided
    FROM scope_marks
    WHERE lesson_status = 'held' AND grade >= $min_grade
    UNION ALL
    SELECT 'topic', date_diff('day', lesson_date, topic_entered_at::DATE),
           date_diff('day', lesson_date, topic_entered_at::DATE) <= $topic_days, false
    FROM l WHERE NOT topic_missing
    UNION ALL
    SELECT 'attendance', date_diff('day', lesson_date, attendance_taken_at::DATE),
           date_diff('day', lesson_date, attendance_taken_at::DATE) <= $attendance_days, false
    FROM l WHERE attendance_taken_at IS NOT NULL
    UNION ALL
    SELECT 'homework', date_diff('day', l.lesson_date, min(h.entered_at)::DATE),
           date_diff('day', l.lesson_date, min(h.entered_at)::DATE) <= $homework_days, false
    FROM l JOIN journal_homework() h ON h.lesson_id = l.lesson_id
    GROUP BY l.lesson_id, l.lesson_date
)
SELECT item,
       count(*) AS entries,
       count(lag_days) AS timed,
       count(*) FILTER (WHERE undecided) AS possibly_late,  -- only a bound straddling the deadline is known
       unnest(entry_timeliness(lag_days, in_time))  -- on_lesson_day … share_within_deadline (_setup.sql)
FROM entries
GROUP BY item
ORDER BY item;
