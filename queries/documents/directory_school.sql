-- The school a document is about, with its years and their reporting periods (for titles such as «за 1 семестр
-- 2025/2026»); a year without periods still has its row (its year sheet is titled by it).
SELECT s.id AS school_id, s.name, coalesce(s.full_name, s.name) AS full_name, s.region,
       p.id AS period_id, p.name AS period_name, p.kind AS period_kind, p.start_date, p.end_date,
       p.grade_from, p.grade_to, y.id AS academic_year_id, y.name AS academic_year
FROM schools s
LEFT JOIN academic_years y ON y.school_id = s.id
LEFT JOIN periods p ON p.academic_year_id = y.id
WHERE s.id = $school_id
ORDER BY p.start_date, p.grade_from, p.id;
