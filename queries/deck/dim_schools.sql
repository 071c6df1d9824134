-- Schools for the deck's school filter.
SELECT id, name FROM schools ORDER BY name, id;
