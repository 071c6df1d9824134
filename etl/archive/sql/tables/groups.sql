-- Classes and subgroups of the year.
SELECT * FROM groups WHERE academic_year_id = $year_id ORDER BY id
