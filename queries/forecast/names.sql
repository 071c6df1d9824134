-- Display names for forecast rows: student (Фамилия Имя), class and subject, by id.
SELECT 'student' AS kind, id, trim(last_name || ' ' || first_name) AS name FROM people WHERE role = 'student'
UNION ALL SELECT 'group', id, name FROM groups
UNION ALL SELECT 'subject', id, name FROM subjects
UNION ALL SELECT 'teacher', id, trim(last_name || ' ' || first_name || ' ' || coalesce(middle_name, '')) FROM people
WHERE role <> 'student';
