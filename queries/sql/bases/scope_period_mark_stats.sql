-- Counted grade marks of each student and subject per period in scope: count, plain and weighted
-- averages (period_mark_stats of _setup.sql).
SELECT * FROM period_mark_stats($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)
