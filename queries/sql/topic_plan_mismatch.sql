-- Held lessons of a group and subject that has a calendar-thematic plan whose topic is not linked to a
-- plan lesson ('not_linked') or differs from the linked plan topic ignoring case and spacing
-- ('differs'). Regulation 2.10.
WITH l AS (
    SELECT * FROM scope_lessons
    WHERE status = 'held' AND NOT topic_missing
)
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, l.topic, pl.topic AS plan_topic, pl.number AS plan_number,
       CASE WHEN pl.id IS NULL THEN 'not_linked' ELSE 'differs' END AS reason
FROM l
LEFT JOIN plan_lessons pl ON pl.id = l.plan_lesson_id
WHERE EXISTS (SELECT 1 FROM plan_lessons x WHERE x.group_id = l.group_id AND x.subject_id = l.subject_id)
  AND (pl.id IS NULL
       -- identical texts cannot differ: the normalising regexes only run on the rest
       OR pl.topic IS DISTINCT FROM l.topic AND lower(regexp_replace(trim(pl.topic), '\s+', ' ', 'g')) <> lower(regexp_replace(trim(l.topic), '\s+', ' ', 'g')))
ORDER BY event_date, group_id, lesson_id;
