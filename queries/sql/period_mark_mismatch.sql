-- Objectivity (regulation 2.11): period marks (grades) that differ from the weighted average of the
-- period's counted grade marks rounded with the school's thresholds ([rounding]; ≥ threshold rounds up).
-- A year mark is set from the year's period marks, not from the current marks: for a year period the
-- basis is the mean of the student's grade period marks in the subject over the periods of the same
-- school, academic year and grade band (each period weighs the same), rounded with the same thresholds;
-- counted_marks is then the number of those period marks, avg_mark and weighted_avg their mean. A mean
-- exactly on a threshold is a disputed year mark: with [rounding] year_tie_either, the mark below the
-- rounded one is accepted too. Only periods that ended before `as_of`: the scope's marks stop at the check
-- day (queries/scope.py `checked_to`), and a period mark is set on the whole period's marks.
WITH year_scope AS (SELECT * FROM periods WHERE id = $period_id AND kind = 'year'),
year_basis AS (
    SELECT y.id AS period_id, f.student_id, f.subject_id,
           count(*) AS counted_marks, avg(f.value_num::DOUBLE) AS avg_mark,
           avg(f.value_num::DOUBLE) AS weighted_avg, true AS is_year
    FROM year_scope y
    JOIN periods p ON p.school_id = y.school_id AND p.academic_year_id = y.academic_year_id
                  AND p.kind <> 'year' AND p.grade_from = y.grade_from AND p.grade_to = y.grade_to
    JOIN journal_final_marks() f ON f.period_id = p.id
    -- a named period sets the scope's school: only its rows are read (none for a date range)
    WHERE f.school_id = $school_id AND f.kind = 'period' AND f.value_kind = 'grade'
    GROUP BY ALL
),
basis AS (
    -- only a named year period is a year scope (a date range holds no year period)
    SELECT s.period_id, s.student_id, s.subject_id, s.counted_marks, s.avg_mark, s.weighted_avg,
           false AS is_year
    FROM scope_period_mark_stats s
    WHERE NOT EXISTS (SELECT 1 FROM year_scope)
    UNION ALL
    SELECT * FROM year_basis
)
SELECT f.period_id, f.student_id, f.subject_id, f.group_id, f.class_id, f.teacher_id,
       f.value_raw AS period_mark, s.counted_marks, round(s.avg_mark, 2) AS avg_mark,
       round(s.weighted_avg, 2) AS weighted_avg,
       rounded_mark(s.weighted_avg, $round_to_3, $round_to_4, $round_to_5) AS expected_mark,
       printf('%.2f→%s', s.weighted_avg, f.value_raw) AS detail
FROM scope_period_marks f
JOIN basis s USING (period_id, student_id, subject_id)
WHERE NOT f.is_previous AND f.grade >= $min_grade AND f.end_date < $as_of AND f.value_kind = 'grade'
  AND f.value_num <> rounded_mark(s.weighted_avg, $round_to_3, $round_to_4, $round_to_5)
  AND NOT (s.is_year AND $year_tie_either AND s.weighted_avg IN ($round_to_3, $round_to_4, $round_to_5)
           AND f.value_num = rounded_mark(s.weighted_avg, $round_to_3, $round_to_4, $round_to_5) - 1)
ORDER BY period_id, class_id, student_id, subject_id;
