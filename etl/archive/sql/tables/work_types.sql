-- The school's work types (weights, control works).
SELECT * FROM work_types WHERE school_id = $school_id ORDER BY id
