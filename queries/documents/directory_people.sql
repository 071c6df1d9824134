-- People of a school as documents name them: «Фамилия Имя Отчество» parts, role, position, and sex
-- (a page for a girl says «Ученица»).
SELECT id, role, last_name, first_name, middle_name, position, sex
FROM people
WHERE school_id = $school_id
ORDER BY last_name, first_name, middle_name, id;
