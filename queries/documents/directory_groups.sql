-- Classes and subgroups of a school with their grade, class and class teacher.
SELECT id, name, kind, grade, coalesce(parent_group_id, id) AS class_id, homeroom_teacher_id, academic_year_id
FROM groups
WHERE school_id = $school_id
ORDER BY grade, name, id;
