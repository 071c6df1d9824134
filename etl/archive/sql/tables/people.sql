-- Everyone of the school: people are not tied to a year, and the year's rows name them.
SELECT * FROM people WHERE school_id = $school_id ORDER BY id
