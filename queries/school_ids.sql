-- The schools the warehouse holds (under the caller's access), so a document for "the school" can
-- default to the only one and ask which one otherwise.
SELECT id AS school_id FROM schools ORDER BY id
