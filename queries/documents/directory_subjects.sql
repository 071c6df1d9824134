-- Subjects of a school: full name for text, short name for narrow table columns.
SELECT id, name, coalesce(short_name, name) AS short_name
FROM subjects
WHERE school_id = $school_id
ORDER BY name, id;
