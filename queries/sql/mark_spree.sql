-- Sprees (regulation 2.8): one teacher entered at least [timeliness].spree_min_marks marks on one day
-- for lessons at least [timeliness].spree_min_age_days old that day. Only exact entry times count: a
-- load's first_seen_at says nothing about sittings. The teacher is who entered (else the lesson's).
SELECT coalesce(entered_by, teacher_id) AS teacher_id,
       entered_at::DATE AS event_date,
       count(*) AS marks,
       count(DISTINCT lesson_id) AS lessons,
       min(lesson_date) AS oldest_lesson_date,
       max(lesson_date) AS newest_lesson_date,
       CAST(count(*) AS VARCHAR) AS detail
FROM scope_marks
WHERE lesson_status = 'held' AND grade >= $min_grade AND entered_at IS NOT NULL
  AND date_diff('day', lesson_date, entered_at::DATE) >= $spree_min_age_days
GROUP BY ALL
HAVING count(*) >= $spree_min_marks
ORDER BY event_date, teacher_id;
