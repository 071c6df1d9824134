-- What recording an incident needs to know first: the person's role (NULL: no such person, refused) and
-- the description the same incident already has (kept when it is recorded again without one: the
-- loader's delta would write the empty cell over it).
SELECT (SELECT role FROM people WHERE id = $person_id) AS role,
       (SELECT description FROM account_incidents WHERE id = $incident_id) AS description
