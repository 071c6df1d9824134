-- The ids a user may have meant when a scope names something the warehouse does not hold ($kind: school,
-- period, academic_year, group, class (a group of kind 'class'), subject or person; $text: what they typed). People know classes, subjects, teachers and
-- periods by name («7А», «Алгебра», «Иванова», «1 семестр»), the command line wants ids: a name that
-- matches (case and spaces ignored; a teacher by surname or full name) is offered with its id. An unknown
-- school, academic year or period lists every one (a warehouse holds few). Students are never offered as teachers.
WITH typed AS (SELECT lower(regexp_replace(trim($text), '\s+', ' ', 'g')) AS t),
candidates AS (
    SELECT 'school' AS kind, id, name AS label, true AS matches, 0 AS grade, name AS sort_key FROM schools
    UNION ALL
    SELECT 'period', p.id,
           p.name || ' ' || y.name || ', ' || p.grade_from || '–' || p.grade_to || ' кл.',
           true, p.grade_from, y.start_date::VARCHAR || p.start_date::VARCHAR || p.end_date::VARCHAR
    FROM periods p JOIN academic_years y ON y.id = p.academic_year_id
    UNION ALL
    SELECT 'academic_year', id, name, true, 0, start_date::VARCHAR FROM academic_years
    UNION ALL
    SELECT unnest(CASE g.kind WHEN 'class' THEN ['group', 'class'] ELSE ['group'] END), g.id, g.name || ', ' || y.name,
           lower(replace(g.name, ' ', '')) = replace(typed.t, ' ', ''), g.grade, y.start_date::VARCHAR || g.name
    FROM groups g JOIN academic_years y ON y.id = g.academic_year_id, typed
    UNION ALL
    SELECT 'subject', s.id, s.name, typed.t IN (lower(s.name), lower(coalesce(s.short_name, ''))), 0, s.name
    FROM subjects s, typed
    UNION ALL
    SELECT 'person', p.id, concat_ws(' ', p.last_name, p.first_name, p.middle_name),
           typed.t IN (lower(p.last_name), lower(concat_ws(' ', p.last_name, p.first_name)),
                       lower(concat_ws(' ', p.last_name, p.first_name, p.middle_name))), 0,
           concat_ws(' ', p.last_name, p.first_name, p.middle_name)
    FROM people p, typed
    WHERE p.role <> 'student'
)
SELECT id, label
FROM candidates
WHERE kind = $kind AND matches
ORDER BY grade, sort_key, id
LIMIT 13
