-- How current the data are: the latest lesson, mark entry and load per school, named as the school calls
-- itself (an admin of several schools does not know them by their ids).
SELECT s.id AS school_id, s.name AS school_name,
       (SELECT max(lesson_date) FROM lessons l WHERE l.school_id = s.id AND l.deleted_at IS NULL) AS last_lesson_date,
       (SELECT max(entered_at) FROM marks m WHERE m.school_id = s.id AND m.deleted_at IS NULL) AS last_mark_entered_at,
       (SELECT max(last_seen_at) FROM marks m WHERE m.school_id = s.id) AS last_seen_in_batch_at,
       (SELECT max(finished_at) FROM import_batches b WHERE b.status = 'loaded') AS last_load_finished_at
FROM schools s
ORDER BY s.id
