-- Compromised-account reports of the school's people (regulation 4.3–4.4).
SELECT * FROM account_incidents
WHERE person_id IN (SELECT id FROM people WHERE school_id = $school_id)
ORDER BY id
