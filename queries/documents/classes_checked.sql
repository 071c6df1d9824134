-- The classes whose lessons a справка checked (held lessons in scope, a subgroup's lessons under its
-- class), in grade and name order: a check of one teacher names their classes in its «Объект» line,
-- not the period's whole grade band («2–9 классов»).
SELECT g.id AS class_id
FROM (SELECT DISTINCT class_id FROM scope_lessons WHERE status = 'held') c
JOIN groups g ON g.id = c.class_id
ORDER BY g.grade, g.name, g.id;
