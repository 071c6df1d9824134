-- Denominators of the filling shares: held lessons (every grade: grade 1 keeps no marks, but its topics,
-- roll calls and homework are checked), and those of them homework is expected for (the exemptions of homework_missing.sql, regulation 2.7).
SELECT count(*) AS lessons_held,
       count(*) FILTER (WHERE NOT list_contains($hw_exempt_grades, l.grade)
                          AND NOT list_contains($hw_exempt_subjects, l.subject_name)) AS lessons_homework_due
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id) l
WHERE l.status = 'held';
