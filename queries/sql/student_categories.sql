-- Each student's category in a period by period marks (regulation 2.15; domain-notes §4.1):
-- not_attested (any «н/а»), failing (any «2»), excellent (all «5»), good (only «4» and «5»),
-- one_three (a single «3», the rest «4»/«5»: the reserve of хорошисты), satisfactory (the rest).
-- one_four marks the reserve of отличники (a single «4», the rest «5»). «осв» and pass/fail are ignored.
SELECT base_period_id AS period_id, student_id, mode(class_id) AS class_id,
       count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 5) AS n5,
       count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 4) AS n4,
       count(*) FILTER (WHERE value_kind = 'grade' AND value_num = 3) AS n3,
       count(*) FILTER (WHERE value_kind = 'grade' AND value_num <= 2) AS n2,
       count(*) FILTER (WHERE value_kind = 'not_attested') AS n_na,
       CASE WHEN n_na > 0 THEN 'not_attested'
            WHEN n2 > 0 THEN 'failing'
            WHEN n3 = 0 AND n4 = 0 THEN 'excellent'
            WHEN n3 = 0 THEN 'good'
            WHEN n3 = 1 THEN 'one_three'
            ELSE 'satisfactory' END AS category,
       n4 = 1 AND n3 = 0 AND n2 = 0 AND n_na = 0 AS one_four
FROM scope_period_marks
WHERE NOT is_previous AND value_kind IN ('grade', 'not_attested')
GROUP BY base_period_id, student_id
ORDER BY period_id, class_id, student_id;
