-- People of a school as documents name them: «Фамилия Имя Отчество» parts, role and position.
SELECT id, role, last_name, first_name, middle_name, position
FROM people
WHERE school_id = $school_id
ORDER BY last_name, first_name, middle_name, id;
