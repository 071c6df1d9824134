-- When the school's journal was last loaded: the start of the latest batch that carried its lessons (the
-- loader's clock, lessons.last_seen_at). A signed ведомость states it, so that a sheet printed again after
-- later loads (period marks corrected, added or removed in the ЭЖ) can be told from the one filed.
SELECT max(last_seen_at) AS last_loaded_at FROM lessons WHERE school_id = $school_id
