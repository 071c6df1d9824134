-- The school's subjects.
SELECT * FROM subjects WHERE school_id = $school_id ORDER BY id
