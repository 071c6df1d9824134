-- The reporting period a scope names: its school, dates and grade band.
SELECT school_id, start_date, end_date, grade_from, grade_to FROM periods WHERE id = $period_id
