-- Weekly printout for parents (annex 3 p.1): marks of the class's students on lessons of the class and
-- its subgroups between $date_from and $date_to, with the subject and the work type.
SELECT mk.student_id, mk.lesson_date, l.lesson_number, mk.subject_id, mk.value_raw,
       wt.name AS work_type_name, mk.comment
FROM journal_marks() mk
JOIN lessons l ON l.id = mk.lesson_id AND l.deleted_at IS NULL
JOIN groups g ON g.id = mk.group_id
LEFT JOIN work_types wt ON wt.id = mk.work_type_id
WHERE coalesce(g.parent_group_id, g.id) = $group_id
  AND mk.lesson_date BETWEEN $date_from AND $date_to
ORDER BY mk.student_id, mk.lesson_date, l.lesson_number, mk.subject_id, mk.id;
