-- Results of the period marks (regulation 2.15; domain-notes §4.1) for the school, each level, class,
-- subject and teacher, with the same figures for the previous period. N (the denominator) = grade
-- marks + «н/а»; «осв» and pass/fail marks are outside it. успеваемость = (n5+n4+n3)/N,
-- качество = (n5+n4)/N, СОУ = Σ points·n / N with [sou] points. avg_period_mark is the mean grade
-- period mark; avg_current_mark and weighted_avg_current are means over students of their current marks.
-- `students` (those with a period mark in the row) is the head count the small-group rule reads
-- (queries.access.small_groups_kept): N counts marks, several per student; `prev_students`, the previous
-- period's, is the one it reads for the prev_* figures and the changes (queries.access.small_previous_cleared).
WITH pm AS (
    SELECT f.*,
           CASE WHEN f.grade <= 4 THEN '1-4' WHEN f.grade <= 9 THEN '5-9' ELSE '10-11' END AS level,
           s.avg_mark, s.weighted_avg
    FROM scope_period_marks f
    LEFT JOIN scope_period_mark_stats s USING (period_id, student_id, subject_id)
),
stats AS (
    SELECT base_period_id, is_previous,
           CASE WHEN grouping(level) = 0 THEN 'level' WHEN grouping(class_id) = 0 THEN 'class'
                WHEN grouping(subject_id) = 0 THEN 'subject' WHEN grouping(teacher_id) = 0 THEN 'teacher'
                ELSE 'school' END AS dimension,
           -- 'all' is the school row's key only: a course without a known teacher has a NULL key. The
           -- keys are text whatever type the warehouse gives ids (benchmarks/int_keys.py runs integer ones).
           coalesce(level, class_id::VARCHAR, subject_id::VARCHAR, teacher_id::VARCHAR,
                    CASE WHEN grouping(level, class_id, subject_id, teacher_id) = 15 THEN 'all' END) AS key,
           count(DISTINCT student_id) AS students,
           results_n(value_kind) AS n,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 5) AS n5,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 4) AS n4,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 3) AS n3,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num <= 2) AS n2,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num <= 1) AS n1,
           count(*) FILTER (WHERE value_kind = 'not_attested') AS n_na,
           count(*) FILTER (WHERE value_kind = 'exempt') AS n_exempt,
           avg(value_num) FILTER (WHERE value_kind = 'grade') AS avg_period_mark,
           avg(avg_mark) AS avg_current_mark,
           avg(weighted_avg) AS weighted_avg_current
    FROM pm
    GROUP BY GROUPING SETS ((base_period_id, is_previous), (base_period_id, is_previous, level),
                            (base_period_id, is_previous, class_id), (base_period_id, is_previous, subject_id),
                            (base_period_id, is_previous, teacher_id))
),
scored AS (
    SELECT *,
           success_pct(n5, n4, n3, n) AS success_pct,
           quality_pct(n5, n4, n) AS quality_pct,
           sou_pct(n5, n4, n3, n2, n1, n_na, n, $sou_5, $sou_4, $sou_3, $sou_2, $sou_1, $sou_na) AS sou_pct
    FROM stats
)
SELECT c.base_period_id AS period_id, c.dimension, c.key, c.students, c.n, c.n5, c.n4, c.n3, c.n2, c.n_na, c.n_exempt,
       c.success_pct, c.quality_pct, c.sou_pct,
       round(c.avg_period_mark, 2) AS avg_period_mark, round(c.avg_current_mark, 2) AS avg_current_mark,
       round(c.weighted_avg_current, 2) AS weighted_avg_current,
       p.students AS prev_students, p.success_pct AS prev_success_pct, p.quality_pct AS prev_quality_pct, p.sou_pct AS prev_sou_pct,
       round(c.success_pct - p.success_pct, 1) AS success_change,
       round(c.quality_pct - p.quality_pct, 1) AS quality_change,
       round(c.sou_pct - p.sou_pct, 1) AS sou_change
FROM scored c
LEFT JOIN scored p ON p.base_period_id = c.base_period_id AND p.is_previous
                  AND p.dimension = c.dimension AND p.key = c.key
WHERE NOT c.is_previous
ORDER BY period_id, CASE c.dimension WHEN 'school' THEN 0 WHEN 'level' THEN 1 WHEN 'class' THEN 2
                                     WHEN 'subject' THEN 3 ELSE 4 END, key;
