-- Where a thing a scope names belongs ($kind: group, subject or person; $id: its id): its school, and
-- for a group its grade and academic year's dates, for a person the role. A class of another school, a
-- class outside the period's grades or year, or a student given as the teacher would otherwise give
-- empty figures that read as «no violations»; queries.scope.resolve refuses them instead.
SELECT g.school_id, g.grade, y.name AS year_name, y.start_date AS year_start, y.end_date AS year_end,
       NULL AS role
FROM groups g JOIN academic_years y ON y.id = g.academic_year_id
WHERE $kind = 'group' AND g.id = $id
UNION ALL
SELECT school_id, NULL, NULL, NULL, NULL, NULL FROM subjects WHERE $kind = 'subject' AND id = $id
UNION ALL
SELECT school_id, NULL, NULL, NULL, NULL, role FROM people WHERE $kind = 'person' AND id = $id
