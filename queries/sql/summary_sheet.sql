-- Сводная ведомость (regulation 2.15): every student still in a course at the period's end × subject ×
-- period, with the period mark (if any), the number of counted marks and the plain and weighted averages.
WITH e AS (
    SELECT period_id, student_id, subject_id, min(class_id) AS class_id, min(teacher_id) AS teacher_id
    FROM scope_period_enrolments
    WHERE at_period_end
    GROUP BY period_id, student_id, subject_id
),
pm AS (
    SELECT period_id, student_id, subject_id, min(value_raw) AS period_mark
    FROM scope_period_marks
    WHERE NOT is_previous GROUP BY ALL
)
SELECT e.period_id, e.class_id, e.student_id, e.subject_id, e.teacher_id, pm.period_mark,
       coalesce(s.counted_marks, 0) AS counted_marks,
       round(s.avg_mark, 2) AS avg_mark, round(s.weighted_avg, 2) AS weighted_avg
FROM e
LEFT JOIN pm USING (period_id, student_id, subject_id)
LEFT JOIN scope_period_mark_stats s USING (period_id, student_id, subject_id)
ORDER BY period_id, class_id, student_id, subject_id;
