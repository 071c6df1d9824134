-- OULAD (Open University) → the forecaster's journal features at a cut-off day (forecast-anchors §3.2).
-- One row per student × module presentation still registered at the cut-off ($cutoff_share of the
-- presentation's length). Only what a journal would show by that day: assessments due, submitted, late,
-- missing, scores, the day of enrolment (a class journal's membership start); no VLE clicks, no demographics. Label: final_result Fail or Withdrawn (at risk).
-- Exams (no coursework analogue) are left out; a missing score counts 0 (anchors §3.2 "missing work = 0").
WITH courses AS (
    SELECT code_module, code_presentation, module_presentation_length AS length,
           $cutoff_share * module_presentation_length AS cutoff_day
    FROM read_csv($dir || '/courses.csv', header = true)
),
tasks AS (
    SELECT a.code_module, a.code_presentation, a.id_assessment, a.date AS deadline,
           a.weight::DOUBLE AS weight, c.cutoff_day, c.length
    FROM read_csv($dir || '/assessments.csv', header = true, nullstr = '') a
    JOIN courses c USING (code_module, code_presentation)
    WHERE a.assessment_type <> 'Exam'
),
students AS (
    SELECT i.code_module, i.code_presentation, i.id_student,
           i.final_result IN ('Fail', 'Withdrawn') AS at_risk, i.final_result, c.cutoff_day,
           r.date_registration::INTEGER AS enrolled_day
    FROM read_csv($dir || '/studentInfo.csv', header = true, all_varchar = true) i
    JOIN read_csv($dir || '/studentRegistration.csv', header = true, all_varchar = true, nullstr = '') r
      USING (code_module, code_presentation, id_student)
    JOIN courses c USING (code_module, code_presentation)
    WHERE r.date_unregistration IS NULL OR r.date_unregistration::INTEGER > c.cutoff_day
),
subs AS (
    SELECT s.id_assessment, s.id_student::VARCHAR AS id_student, s.date_submitted, s.is_banked = 1 AS banked,
           coalesce(s.score, 0)::DOUBLE AS score
    FROM read_csv($dir || '/studentAssessment.csv', header = true, nullstr = '') s
),
-- every (student, assessment due by the cut-off) with what the student handed in by then
due AS (
    SELECT st.code_module, st.code_presentation, st.id_student, t.id_assessment, t.deadline, t.weight,
           sb.id_assessment IS NOT NULL AS submitted,
           coalesce(sb.score, 0) AS score,
           coalesce(NOT sb.banked AND sb.date_submitted > t.deadline, false) AS late,
           t.deadline - sb.date_submitted AS days_early
    FROM students st
    JOIN tasks t ON t.code_module = st.code_module AND t.code_presentation = st.code_presentation
                AND t.deadline <= st.cutoff_day
    LEFT JOIN subs sb ON sb.id_assessment = t.id_assessment AND sb.id_student = st.id_student
                     AND (sb.banked OR sb.date_submitted <= st.cutoff_day)
),
-- work handed in before its deadline, still ahead of the cut-off (keeping up)
ahead AS (
    SELECT st.code_module, st.code_presentation, st.id_student, count(*) AS n_ahead
    FROM students st
    JOIN tasks t ON t.code_module = st.code_module AND t.code_presentation = st.code_presentation
                AND t.deadline > st.cutoff_day
    JOIN subs sb ON sb.id_assessment = t.id_assessment AND sb.id_student = st.id_student
                AND (sb.banked OR sb.date_submitted <= st.cutoff_day)
    GROUP BY ALL
),
last_work AS (
    SELECT st.code_module, st.code_presentation, st.id_student,
           min(st.cutoff_day - sb.date_submitted) AS days_since_last
    FROM students st
    JOIN tasks t ON t.code_module = st.code_module AND t.code_presentation = st.code_presentation
    JOIN subs sb ON sb.id_assessment = t.id_assessment AND sb.id_student = st.id_student
                AND sb.date_submitted <= st.cutoff_day
    GROUP BY ALL
),
per_student AS (
    SELECT st.code_module, st.code_presentation, st.id_student, st.at_risk, st.final_result, st.enrolled_day,
           count(d.id_assessment) AS n_due,
           count(d.id_assessment) FILTER (WHERE d.submitted) AS n_sub,
           count(d.id_assessment) FILTER (WHERE NOT d.submitted) AS n_missing,
           count(d.id_assessment) FILTER (WHERE d.late) AS n_late,
           avg(d.score) AS mean_score,
           min(d.score) AS min_score,
           avg(d.score) FILTER (WHERE d.submitted) AS mean_submitted,
           sum(d.score * d.weight) / nullif(sum(d.weight), 0) AS weighted_score,
           sum(d.weight) FILTER (WHERE NOT d.submitted) AS weight_missing,
           -- the last work by deadline; two works due the same day are ordered by id (else either is picked)
           arg_max(d.score, (d.deadline, d.id_assessment)) AS last_score,
           arg_max(d.submitted::INTEGER, (d.deadline, d.id_assessment)) AS last_submitted,
           avg(d.days_early) AS mean_days_early
    FROM students st
    LEFT JOIN due d USING (code_module, code_presentation, id_student)
    GROUP BY ALL
)
SELECT p.*,
       coalesce(a.n_ahead, 0) AS n_ahead,
       lw.days_since_last,
       p.n_missing / nullif(p.n_due, 0) AS share_missing,
       p.n_late / nullif(p.n_sub, 0) AS share_late,
       -- standing against the same presentation's students at the cut-off (known to the teacher then)
       p.mean_score - avg(p.mean_score) OVER (PARTITION BY p.code_module, p.code_presentation) AS score_vs_cohort
FROM per_student p
LEFT JOIN ahead a USING (code_module, code_presentation, id_student)
LEFT JOIN last_work lw USING (code_module, code_presentation, id_student)
ORDER BY p.code_module, p.code_presentation, p.id_student;
