-- Forecast features of every student × subject of one period as of a day: only what the journal held at
-- the end of $as_of (a mark counts when its entered_at, or first_seen_at if that is NULL, is before
-- $as_of_end; a mark or absence deleted later was still visible then). One row per enrolled student
-- (member of the course's group on $as_of) and course, with the rule baseline of docs/forecast.md:
-- the weighted average rounded by [rounding], and «н/а» by [attendance].na_risk_missed_share or too few
-- marks for the pace of [min_marks] (the count so far projected to the period end) when the shortfall is the
-- pupil's own, not the whole course's (the teacher's marking pace, [min_marks].class_short_share), and the
-- lessons left at the course's usual pace (course_mark_rate) cannot make it up.
WITH courses AS (
    SELECT e.*
    FROM period_enrolments($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id,
                           $teacher_id, $as_of) e
    WHERE e.at_period_end
),
period AS (SELECT * FROM periods WHERE id = $period_id),
-- lessons of the course's group: planned load for the whole period, and those held by $as_of
course_lessons AS (
    SELECT l.id AS lesson_id, l.group_id, l.subject_id, l.lesson_date, l.status
    FROM lessons l, period p
    WHERE l.school_id = p.school_id AND l.lesson_date BETWEEN p.start_date AND p.end_date
      AND l.deleted_at IS NULL AND l.status <> 'cancelled'
),
visible_marks AS (
    SELECT mk.student_id, mk.subject_id, mk.lesson_id, mk.lesson_date, mk.value_num::DOUBLE AS value_num,
           mk.weight::DOUBLE AS weight, mk.value_kind, mk.counts_in_average,
           coalesce(wt.is_control, false) AS is_control,
           -- journal order within a day, as marks_so_far.sql lists them (lesson number, NULLs last; mark id)
           (mk.lesson_date, mk.lesson_number IS NULL, coalesce(mk.lesson_number, 0), mk.id) AS journal_order
    -- the journal at the end of D (_setup.sql): no later entry, and regulation 4.4 for reports known at D
    FROM marks_known_at($period_id, $as_of, $as_of_end) mk
    LEFT JOIN work_types wt ON wt.id = mk.work_type_id
),
mark_stats AS (
    SELECT student_id, subject_id,
           count(*) AS n_marks,
           avg(value_num) AS avg_mark,
           sum(value_num * weight) AS weighted_sum,
           sum(weight) AS weight_sum,
           -- rounded to 1e-9 so that an exact threshold (4.5) is not lost to binary fractions (4.4999…)
           round(sum(value_num * weight) / sum(weight), 9) AS weighted_avg,
           min(value_num) AS min_mark,
           count(*) FILTER (WHERE value_num <= 2) AS n_twos,
           arg_max(value_num, journal_order) AS last_mark,
           stddev_samp(value_num) AS mark_sd
    FROM visible_marks
    WHERE value_kind = 'grade' AND counts_in_average
    GROUP BY ALL
),
-- control works: held lessons of the group at least the grace period old with a control-type mark
control_lessons AS (
    SELECT DISTINCT cl.lesson_id, cl.group_id, cl.subject_id, cl.lesson_date
    FROM course_lessons cl
    JOIN visible_marks vm ON vm.lesson_id = cl.lesson_id AND vm.is_control
    WHERE cl.lesson_date <= $as_of - $control_work_grace_days::INTEGER
),
missed_control AS (
    SELECT c.period_id, c.group_id, c.subject_id, c.student_id,
           count(*) AS control_works,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM visible_marks vm
                                              WHERE vm.lesson_id = ct.lesson_id
                                                AND vm.student_id = c.student_id)) AS missed_control_works
    FROM courses c
    JOIN control_lessons ct ON ct.group_id = c.group_id AND ct.subject_id = c.subject_id
    GROUP BY ALL
),
visible_attendance AS (
    SELECT a.lesson_id, a.student_id, a.status
    FROM attendance a
    JOIN period p ON a.school_id = p.school_id AND a.lesson_date BETWEEN p.start_date AND $as_of
    LEFT JOIN compromise_reports() cr ON cr.person_id = a.recorded_by AND cr.reported_at < $as_of_end
    WHERE coalesce(a.recorded_at, a.first_seen_at) < $as_of_end
      AND (a.deleted_at IS NULL OR a.deleted_at >= $as_of_end)
      AND NOT made_after_report(a.recorded_at, a.recorded_at_precision, cr.reported_at)
),
attendance_stats AS (
    SELECT c.period_id, c.group_id, c.subject_id, c.student_id,
           count(*) FILTER (WHERE cl.lesson_date <= $as_of AND cl.status = 'held') AS lessons_so_far,
           count(*) AS lessons_planned,
           count(va.lesson_id) FILTER (WHERE is_absence(va.status)) AS lessons_missed,
           -- «ОСВ» (exempt) on a held lesson: the pupil was excused from it, not absent
           count(va.lesson_id) FILTER (WHERE va.status = 'exempt' AND cl.status = 'held') AS lessons_exempt
    FROM courses c
    JOIN course_lessons cl ON cl.group_id = c.group_id AND cl.subject_id = c.subject_id
    JOIN memberships m ON m.group_id = c.group_id AND m.student_id = c.student_id
                      AND cl.lesson_date >= m.valid_from AND (m.valid_to IS NULL OR cl.lesson_date <= m.valid_to)
    LEFT JOIN visible_attendance va ON va.lesson_id = cl.lesson_id AND va.student_id = c.student_id
                                 AND cl.lesson_date <= $as_of
    GROUP BY ALL
),
previous_mark AS (
    SELECT f.student_id, f.subject_id,
           arg_max(CASE WHEN f.value_kind = 'grade' THEN least(f.value_num::DOUBLE, 5) END, pp.end_date) AS previous_mark,
           arg_max(f.value_kind = 'not_attested', pp.end_date) AS previous_na,
           arg_max(f.value_kind = 'exempt', pp.end_date) AS previous_exempt
    FROM period cur
    JOIN periods pp ON pp.school_id = cur.school_id AND pp.kind = cur.kind AND pp.grade_from = cur.grade_from
                   AND pp.grade_to = cur.grade_to AND pp.end_date < cur.start_date
    JOIN final_marks f ON f.period_id = pp.id AND f.kind = 'period'
    LEFT JOIN compromise_reports() cr ON cr.person_id = f.entered_by AND cr.reported_at < $as_of_end
    WHERE coalesce(f.entered_at, f.first_seen_at) < $as_of_end
      AND (f.deleted_at IS NULL OR f.deleted_at >= $as_of_end)
      AND NOT made_after_report(f.entered_at, f.entered_at_precision, cr.reported_at)
      AND f.value_kind IN ('grade', 'not_attested', 'exempt')
    GROUP BY ALL
),
outcome AS (
    -- the period mark as finally set (for training and backtests only; never a feature)
    SELECT f.student_id, f.subject_id,
           arg_max(CASE WHEN f.value_kind = 'not_attested' THEN 'н/а'
                        WHEN f.value_kind = 'grade' THEN greatest(2, least(5, f.value_num::INTEGER))::VARCHAR END,
                   f.first_seen_at) AS actual_mark
    FROM final_marks f
    LEFT JOIN compromise_reports() cr ON cr.person_id = f.entered_by
    WHERE f.period_id = $period_id AND f.kind = 'period' AND f.deleted_at IS NULL
      AND NOT made_after_report(f.entered_at, f.entered_at_precision, cr.reported_at)
      AND f.value_kind IN ('grade', 'not_attested')
    GROUP BY ALL
),
joined AS (
    SELECT c.period_id, p.school_id, c.class_id, c.group_id, c.grade, c.subject_id, c.teacher_id, c.student_id,
           c.weekly_hours,
           ladder_value(c.weekly_hours, $min_marks_hours, $min_marks_counts) AS min_marks,
           greatest(0.0, least(1.0, (date_diff('day', p.start_date, $as_of) + 1)
                                    / (date_diff('day', p.start_date, p.end_date) + 1))) AS elapsed_share,
           coalesce(a.lessons_so_far, 0) AS lessons_so_far,
           coalesce(a.lessons_planned, 0) AS lessons_planned,
           coalesce(a.lessons_missed, 0) AS lessons_missed,
           coalesce(s.n_marks, 0) AS n_marks,
           s.avg_mark, s.weighted_avg, coalesce(s.weighted_sum, 0) AS weighted_sum,
           coalesce(s.weight_sum, 0) AS weight_sum, s.min_mark, coalesce(s.n_twos, 0) AS n_twos,
           s.last_mark, s.mark_sd,
           coalesce(mc.control_works, 0) AS control_works,
           coalesce(mc.missed_control_works, 0) AS missed_control_works,
           coalesce(a.lessons_exempt, 0) AS lessons_exempt,
           pm.previous_mark, coalesce(pm.previous_na, false) AS previous_na,
           coalesce(pm.previous_exempt, false) AS previous_exempt,
           o.actual_mark
    FROM courses c
    JOIN period p ON p.id = c.period_id
    LEFT JOIN mark_stats s ON s.student_id = c.student_id AND s.subject_id = c.subject_id
    LEFT JOIN attendance_stats a ON a.period_id = c.period_id AND a.group_id = c.group_id
                                AND a.subject_id = c.subject_id AND a.student_id = c.student_id
    LEFT JOIN missed_control mc ON mc.period_id = c.period_id AND mc.group_id = c.group_id
                               AND mc.subject_id = c.subject_id AND mc.student_id = c.student_id
    LEFT JOIN previous_mark pm ON pm.student_id = c.student_id AND pm.subject_id = c.subject_id
    LEFT JOIN outcome o ON o.student_id = c.student_id AND o.subject_id = c.subject_id
),
-- marks expected by the period end at the present pace (lessons so far → all planned lessons)
paced AS (
    SELECT *, n_marks * lessons_planned / nullif(lessons_so_far, 0) AS projected_marks,
           coalesce(n_marks * lessons_planned / nullif(lessons_so_far, 0), min_marks) < min_marks AS few_marks,
           -- exempt from the subject as far as the journal shows at D («осв» last period and no mark since, or
           -- «ОСВ» on every lesson held): no period mark is expected, so there is nothing to forecast; the
           -- row stays for the letter to say so (features.period_exemptions), and counts in no course's pace
           (previous_exempt AND n_marks = 0) OR (lessons_exempt > 0 AND lessons_exempt = lessons_so_far) AS exempt
    FROM joined
),
-- the course's share of pupils (with a lesson held so far) falling short: above [min_marks].class_short_share
-- the teacher marks too rarely, and the shortfall is no pupil's own «н/а» risk (docs/forecast.md)
course_pace AS (
    SELECT *,
           coalesce(avg(few_marks::DOUBLE) FILTER (WHERE lessons_so_far > 0 AND NOT exempt)
                        OVER (PARTITION BY period_id, group_id, subject_id) > $class_short_share, false)
               AS teacher_pace_short,
           -- the course's usual marks per lesson held so far (median pupil)
           coalesce(median(n_marks / lessons_so_far) FILTER (WHERE lessons_so_far > 0 AND NOT exempt)
                        OVER (PARTITION BY period_id, group_id, subject_id), 0) AS course_mark_rate
    FROM paced
)
SELECT *,
       lessons_missed / nullif(lessons_so_far, 0) AS absence_share,
       lessons_so_far / nullif(lessons_planned, 0) AS lessons_share,
       few_marks AND NOT teacher_pace_short AS own_few_marks,
       CASE WHEN weighted_avg IS NOT NULL THEN rounded_mark(weighted_avg, $round_to_3, $round_to_4, $round_to_5) END
           AS rule_grade,
       (coalesce(lessons_missed / nullif(lessons_so_far, 0), 0) >= $na_risk_share AND lessons_so_far > 0)
           -- the pupil's own shortfall: «н/а» once the lessons left at the course's usual pace cannot make it
           -- up — with no mark yet too (early in a period most such pupils end with a mark, not «н/а»)
           OR (few_marks AND NOT teacher_pace_short
               AND n_marks + (lessons_planned - lessons_so_far) * course_mark_rate < min_marks)
           AS rule_na
FROM course_pace
ORDER BY class_id, student_id, subject_id;
