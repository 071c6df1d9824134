-- Weekly printout for parents (annex 3 p.1): absences and lateness of the class's students in the week,
-- with the code as written in the journal and its meaning.
SELECT a.student_id, a.lesson_date, l.lesson_number, a.subject_id, a.status, a.raw_code,
       coalesce(c.meaning, a.status) AS meaning
FROM journal_attendance() a
JOIN lessons l ON l.id = a.lesson_id AND l.deleted_at IS NULL
JOIN groups g ON g.id = a.group_id
LEFT JOIN attendance_codes c ON c.raw_code = upper(trim(a.raw_code))
WHERE coalesce(g.parent_group_id, g.id) = $group_id
  AND a.lesson_date BETWEEN $date_from AND $date_to
ORDER BY a.student_id, a.lesson_date, l.lesson_number, a.subject_id;
