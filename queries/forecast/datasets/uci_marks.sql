-- UCI Student Performance (Cortez & Silva 2008) → the forecaster's journal view, one row per student.
-- G1, G2 are the 1st and 2nd period marks (0–20, quoted strings in the file), G3 the final; each maps to
-- the 5-point scale by shares of the maximum 85/65/50 % (forecast-anchors §3.1): 17–20 → 5, 13–16 → 4,
-- 10–12 → 3, 1–9 → 2, 0 → «н/а» (no final grade). `absences` is the whole year's count (slight leak, §3.1).
WITH raw AS (
    SELECT school, G1::INTEGER AS g1, G2::INTEGER AS g2, G3::INTEGER AS g3, absences, failures
    FROM read_csv($path, delim = ';', header = true, quote = '"')
)
SELECT *,
       CASE WHEN g3 >= 17 THEN '5' WHEN g3 >= 13 THEN '4' WHEN g3 >= 10 THEN '3' WHEN g3 >= 1 THEN '2'
            ELSE 'н/а' END AS final_mark,
       CASE WHEN g2 >= 17 THEN '5' WHEN g2 >= 13 THEN '4' WHEN g2 >= 10 THEN '3' WHEN g2 >= 1 THEN '2'
            ELSE 'н/а' END AS g2_mark,
       CASE WHEN g1 >= 17 THEN '5' WHEN g1 >= 13 THEN '4' WHEN g1 >= 10 THEN '3' WHEN g1 >= 1 THEN '2'
            ELSE 'н/а' END AS g1_mark
FROM raw;
