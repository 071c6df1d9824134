-- Which state of the journal a справка reads. The warehouse holds the journal as last loaded, not as it stood
-- on past days: a справка dated back (or printed again after new loads) counts the entries made since its
-- check day (entries_after_check.sql) and misses what was removed or changed since. This file gives the rest
-- of that account, so the document can say plainly what it reads (docs/documents.md «The check date»):
-- * last_loaded_at: the last load that carried the checked schools' lessons (the stalest school's, when a
--   scope spans several); entries made in the ЭЖ after it are not in the warehouse at all;
-- * marks_deleted: marks of checked lessons entered before the check day, still in the journal after it (a
--   load after it carried them) and deleted since — in the journal on the check day, in no figure now
--   (period marks have no such trail here: the document says only that they are read as loaded);
-- * marks_changed: marks of checked lessons whose value or weight changed after the check day (mark_events):
--   counted with their new value.
WITH after AS (SELECT $as_of + INTERVAL 1 DAY AS t),
l AS (SELECT lesson_id FROM scope_lessons WHERE status = 'held'),
schools_loaded AS (
    SELECT max(ls.last_seen_at) AS loaded_at
    FROM lessons ls
    WHERE ls.school_id IN (SELECT DISTINCT school_id FROM scope_lessons)
    GROUP BY ls.school_id
)
SELECT
    (SELECT min(loaded_at) FROM schools_loaded) AS last_loaded_at,
    (SELECT count(*) FROM marks m JOIN l ON l.lesson_id = m.lesson_id
     WHERE m.deleted_at >= (SELECT t FROM after) AND m.last_seen_at >= (SELECT t FROM after)
       AND coalesce(m.entered_at, m.first_seen_at) < (SELECT t FROM after)) AS marks_deleted,
    (SELECT count(DISTINCT e.mark_id) FROM mark_events e JOIN scope_marks m ON m.mark_id = e.mark_id
     WHERE e.event = 'changed' AND e.event_at >= (SELECT t FROM after)) AS marks_changed;
