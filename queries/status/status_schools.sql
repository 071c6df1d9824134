-- Schools with their size: the first thing a person checks after a load.
SELECT s.id AS school_id,
       s.name,
       s.timezone,
       (SELECT count(*) FROM people p WHERE p.school_id = s.id AND p.role = 'student') AS students,
       (SELECT count(*) FROM people p WHERE p.school_id = s.id AND p.role = 'teacher') AS teachers,
       (SELECT count(*) FROM groups g WHERE g.school_id = s.id AND g.kind = 'class') AS classes
FROM schools s
ORDER BY s.id
