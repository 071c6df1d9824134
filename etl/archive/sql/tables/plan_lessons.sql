-- plan_lessons rows of the year's classes and subgroups.
SELECT * FROM plan_lessons
WHERE group_id IN (SELECT id FROM groups WHERE academic_year_id = $year_id)
ORDER BY id
