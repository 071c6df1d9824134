-- Classes and subgroups with their grade and display name: the class filter and id → name labels.
SELECT id, school_id, academic_year_id, name, kind, grade, parent_group_id FROM groups ORDER BY grade, name, id;
