-- Whether the warehouse holds the thing a user named ($kind: school, group, class, subject, person,
-- period or academic_year; $id: its id), so that a command or a scope refuses an unknown id in plain
-- words instead of returning empty figures. A class is a group of kind 'class' (not a subgroup).
SELECT CASE $kind
    WHEN 'school' THEN EXISTS (SELECT 1 FROM schools WHERE id = $id)
    WHEN 'group' THEN EXISTS (SELECT 1 FROM groups WHERE id = $id)
    WHEN 'class' THEN EXISTS (SELECT 1 FROM groups WHERE id = $id AND kind = 'class')
    WHEN 'subject' THEN EXISTS (SELECT 1 FROM subjects WHERE id = $id)
    WHEN 'person' THEN EXISTS (SELECT 1 FROM people WHERE id = $id)
    WHEN 'period' THEN EXISTS (SELECT 1 FROM periods WHERE id = $id)
    WHEN 'academic_year' THEN EXISTS (SELECT 1 FROM academic_years WHERE id = $id)
END AS known
