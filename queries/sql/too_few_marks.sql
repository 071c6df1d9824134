-- Students (still in the course at the period's end, or on `as_of`) with fewer counted grade marks in the
-- period than the minimum for the subject's weekly hours ([min_marks].by_weekly_hours). Regulation 2.11;
-- domain-notes §2. Students exempt from the subject («осв» for the period) are not listed: nobody expects
-- marks for them (docs/planted-violations.md). A «н/а» student with too few marks is listed. `exempt`
-- stays in the output (always false) so readers that filtered on it keep working. A year period is
-- skipped: the minimum is per semester / half-year ([min_marks]), which their own periods check, and the
-- year mark stands on the period marks, not on a count of current marks. A period that has not ended before
-- `as_of` is not judged yet: its minimum is for the whole period, and its later lessons are still to come.
WITH e AS (
    SELECT period_id, student_id, subject_id, min(group_id) AS group_id, min(class_id) AS class_id,
           min(teacher_id) AS teacher_id, max(weekly_hours) AS weekly_hours, min(grade) AS grade
    FROM scope_period_enrolments
    WHERE at_period_end AND end_date < $as_of AND NOT EXISTS (SELECT 1 FROM periods WHERE id = $period_id AND kind = 'year')
    GROUP BY period_id, student_id, subject_id
),
pm AS (
    SELECT period_id, student_id, subject_id, min(value_raw) AS period_mark, bool_or(value_kind = 'exempt') AS exempt
    FROM scope_period_marks
    WHERE NOT is_previous
    GROUP BY ALL
)
SELECT e.period_id, e.student_id, e.subject_id, e.group_id, e.class_id, e.teacher_id, e.weekly_hours,
       coalesce(s.counted_marks, 0) AS counted_marks,
       ladder_value(e.weekly_hours, $min_marks_hours, $min_marks_counts)::INTEGER AS required_marks,
       pm.period_mark, coalesce(pm.exempt, false) AS exempt,
       CAST(coalesce(s.counted_marks, 0) AS VARCHAR) AS detail
FROM e
LEFT JOIN scope_period_mark_stats s USING (period_id, student_id, subject_id)
LEFT JOIN pm USING (period_id, student_id, subject_id)
WHERE e.grade >= $min_grade AND NOT coalesce(pm.exempt, false)
  AND coalesce(s.counted_marks, 0) < ladder_value(e.weekly_hours, $min_marks_hours, $min_marks_counts)
ORDER BY period_id, class_id, student_id, subject_id;
