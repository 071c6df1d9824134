-- People with a short display name «Фамилия И. О.»: teacher filter and id → name labels in tables.
SELECT id, school_id, role,
       last_name || ' ' || left(first_name, 1) || '.' || coalesce(' ' || left(middle_name, 1) || '.', '') AS short_name
FROM people
ORDER BY role, last_name, first_name, id;
