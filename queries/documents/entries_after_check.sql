-- Entries made after the check day for the lessons (and periods) a справка checks: the warehouse holds the
-- journal as last loaded, so a справка dated back sees them, judged by their own entry time (a topic written
-- after the check is late, not missing: docs/metrics.md «The check date»). The справка says how many there
-- are, so its «Сроки проверки» are not read as the journal's state on the check day. Entries without an
-- entry time cannot be dated and are not counted here. Reads the bases the findings already built.
WITH after AS (SELECT $as_of + INTERVAL 1 DAY AS t),
l AS (SELECT * FROM scope_lessons WHERE status = 'held')
SELECT
    (SELECT count(*) FROM scope_marks WHERE entered_at >= (SELECT t FROM after)) AS marks,
    (SELECT count(*) FROM scope_period_marks  -- of the periods judged: ended before the check day
     WHERE NOT is_previous AND end_date < $as_of AND entered_at >= (SELECT t FROM after)) AS period_marks,
    (SELECT count(*) FROM l WHERE NOT topic_missing AND topic_entered_at >= (SELECT t FROM after)) AS topics,
    (SELECT count(*) FROM l WHERE attendance_taken_at >= (SELECT t FROM after)) AS roll_calls,
    (SELECT count(DISTINCT l.lesson_id) FROM l JOIN journal_homework() h ON h.lesson_id = l.lesson_id
     WHERE h.entered_at >= (SELECT t FROM after)) AS homework;
