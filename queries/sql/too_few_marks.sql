-- Students (still in the course at the period's end, or on `as_of`) with fewer counted grade marks in the
-- period than the minimum for the subject's weekly hours ([min_marks].by_weekly_hours). Regulation 2.11;
-- domain-notes §2. Students exempt from the subject («осв» for the period) are listed too, as the
-- contract in docs/planted-violations.md defines, with `exempt` = true so a reader can set them aside.
WITH e AS (
    SELECT period_id, student_id, subject_id, min(group_id) AS group_id, min(class_id) AS class_id,
           min(teacher_id) AS teacher_id, max(weekly_hours) AS weekly_hours, min(grade) AS grade
    FROM period_enrolments($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id, $as_of)
    WHERE at_period_end
    GROUP BY period_id, student_id, subject_id
),
pm AS (
    SELECT period_id, student_id, subject_id, min(value_raw) AS period_mark, bool_or(value_kind = 'exempt') AS exempt
    FROM scoped_period_marks($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
    WHERE NOT is_previous
    GROUP BY ALL
)
SELECT e.period_id, e.student_id, e.subject_id, e.group_id, e.class_id, e.teacher_id, e.weekly_hours,
       coalesce(s.counted_marks, 0) AS counted_marks,
       ladder_value(e.weekly_hours, $min_marks_hours, $min_marks_counts)::INTEGER AS required_marks,
       pm.period_mark, coalesce(pm.exempt, false) AS exempt,
       CAST(coalesce(s.counted_marks, 0) AS VARCHAR) AS detail
FROM e
LEFT JOIN period_mark_stats($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to) s USING (period_id, student_id, subject_id)
LEFT JOIN pm USING (period_id, student_id, subject_id)
WHERE e.grade >= $min_grade
  AND coalesce(s.counted_marks, 0) < ladder_value(e.weekly_hours, $min_marks_hours, $min_marks_counts)
ORDER BY period_id, class_id, student_id, subject_id;
