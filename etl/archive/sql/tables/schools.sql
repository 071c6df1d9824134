-- The archived school.
SELECT * FROM schools WHERE id = $school_id ORDER BY id
