-- History of the year's marks.
SELECT * FROM mark_events
WHERE mark_id IN (SELECT id FROM marks WHERE group_id IN (SELECT id FROM groups WHERE academic_year_id = $year_id))
ORDER BY ALL
