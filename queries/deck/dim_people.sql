-- People with a short display name «Фамилия И. О.»: teacher filter and id → name labels in tables.
-- A pseudonymised student (queries/access_views.sql) has no first name: the pseudonym alone.
SELECT id, school_id, role,
       last_name || CASE WHEN first_name = '' THEN '' ELSE ' ' || left(first_name, 1) || '.' END
           || coalesce(' ' || left(middle_name, 1) || '.', '') AS short_name
FROM people
ORDER BY role, last_name, first_name, id;
