-- Subjects: the subject filter and id → name labels.
SELECT id, school_id, name FROM subjects ORDER BY name, id;
