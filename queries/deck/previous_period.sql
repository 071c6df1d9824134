-- The period before $period_id for "change against the previous period": same school, kind and grade
-- band, the latest one ending before it starts (the rule of comparison_periods in queries/sql/_setup.sql).
SELECT p.id
FROM periods cur
JOIN periods p ON p.school_id = cur.school_id AND p.kind = cur.kind AND p.grade_from = cur.grade_from
              AND p.grade_to = cur.grade_to AND p.end_date < cur.start_date
WHERE cur.id = $period_id
ORDER BY p.end_date DESC
LIMIT 1;
