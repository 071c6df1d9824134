-- Year results per class (regulation 2.15; domain-notes §4.1): the results formulas of _setup.sql
-- (results_n, success_pct, quality_pct, sou_pct, as in results_summary) applied to the year marks of
-- the students on the year sheet (year_sheet.sql): N = grade marks + «н/а», успеваемость = (n5+n4+n3)/N,
-- качество = (n5+n4)/N, СОУ = Σ [sou] points·n / N; and the mean year grade.
WITH roster AS (SELECT * FROM year_roster($academic_year_id, $as_of, $group_id)),
marks AS (
    SELECT r.class_id, f.value_kind, f.value_num
    FROM roster r
    JOIN journal_final_marks() f ON f.student_id = r.student_id AND f.kind = 'year'
    JOIN groups g ON g.id = f.group_id AND g.academic_year_id = $academic_year_id
),
stats AS (
    SELECT class_id,
           results_n(value_kind) AS n,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 5) AS n5,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 4) AS n4,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 3) AS n3,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num <= 2) AS n2,
           count(*) FILTER (WHERE value_kind = 'grade' AND value_num <= 1) AS n1,
           count(*) FILTER (WHERE value_kind = 'not_attested') AS n_na,
           count(*) FILTER (WHERE value_kind = 'exempt') AS n_exempt,
           avg(value_num) FILTER (WHERE value_kind = 'grade') AS avg_mark
    FROM marks GROUP BY class_id
)
SELECT class_id, n, n5, n4, n3, n2, n_na, n_exempt,
       success_pct(n5, n4, n3, n) AS success_pct,
       quality_pct(n5, n4, n) AS quality_pct,
       sou_pct(n5, n4, n3, n2, n1, n_na, n, $sou_5, $sou_4, $sou_3, $sou_2, $sou_1, $sou_na) AS sou_pct,
       round(avg_mark, 2) AS avg_mark
FROM stats
ORDER BY class_id;
