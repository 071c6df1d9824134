-- Годовая сводная ведомость (regulation 2.15, 3.2): each student who is a member of a class of the
-- academic year on its last day (or on $as_of, if earlier) × subject with the year mark, if any.
WITH roster AS (SELECT * FROM year_roster($academic_year_id, $as_of, $group_id)),
year_marks AS (
    SELECT f.student_id, f.subject_id, min(f.value_raw) AS year_mark
    FROM journal_final_marks() f
    JOIN groups g ON g.id = f.group_id
    WHERE f.kind = 'year' AND g.academic_year_id = $academic_year_id
    GROUP BY ALL
)
SELECT r.class_id, r.student_id, ym.subject_id, ym.year_mark
FROM roster r
LEFT JOIN year_marks ym USING (student_id)
ORDER BY r.class_id, r.student_id, ym.subject_id;
