-- Group × subject × reporting period in scope whose assessment procedures took more than
-- [assessment].max_share of the lessons held (recommendations of Минпросвещения and Рособрнадзор, 2021:
-- at most 10 % of the subject's teaching time; domain-notes §2). Numerator: lessons of the procedures
-- (a double lesson's two halves count twice: it took two lessons' time); denominator: the group's held
-- lessons of the subject in the period (scope_period_courses, whose teacher the row takes). A share is a
-- whole period's: a period that has not ended before `as_of` is not judged yet (two procedures in the
-- first ten lessons are no excess). Exactly the share is no case; above it is.
WITH p AS (
    SELECT * FROM scoped_periods($period_id, $date_from, $date_to, $school_id, $grade_from, $grade_to)
    WHERE end_date < $as_of
),
assessed AS (
    SELECT p.id AS period_id, a.group_id, a.subject_id, any_value(a.class_id) AS class_id,
           count(*) AS procedures, CAST(sum(a.lessons) AS BIGINT) AS assessment_lessons,
           list(a.event_date ORDER BY a.event_date) AS assessment_dates,
           flatten(list(a.lesson_ids ORDER BY a.event_date)) AS lesson_ids
    FROM p
    JOIN scope_assessments a
      ON a.school_id = p.school_id AND a.event_date BETWEEN p.start_date AND p.end_date
     AND a.grade BETWEEN p.grade_from AND p.grade_to
    GROUP BY ALL
)
SELECT a.period_id, c.school_id, c.teacher_id, a.group_id, a.class_id, a.subject_id, a.procedures,
       a.assessment_lessons, c.lessons_held, a.assessment_lessons / c.lessons_held AS assessment_share,
       a.assessment_dates, a.lesson_ids,
       a.assessment_lessons || '/' || c.lessons_held AS detail
FROM assessed a
JOIN scope_period_courses c USING (period_id, group_id, subject_id)
WHERE a.assessment_lessons / c.lessons_held > $assessment_max_share
ORDER BY a.period_id, a.class_id, a.group_id, a.subject_id;
