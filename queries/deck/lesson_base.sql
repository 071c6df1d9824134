-- Denominators of the filling shares: held lessons of the journal-checked grades, and those of them
-- homework is expected for (the exemptions of homework_missing.sql, regulation 2.7).
SELECT count(*) AS lessons_held,
       count(*) FILTER (WHERE NOT list_contains($hw_exempt_grades, l.grade)
                          AND NOT list_contains($hw_exempt_subjects, l.subject_name)) AS lessons_homework_due
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id) l
WHERE l.status = 'held' AND l.grade >= $min_grade;
