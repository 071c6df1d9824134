-- Assessment procedures held sooner than [assessment].min_interval_days after the group's previous
-- procedure in the subject (recommendations of Минпросвещения and Рособрнадзор, 2021: not more often than
-- once in 2.5 weeks; domain-notes §2). Days are calendar days between the two lesson days; with 17.5, a
-- procedure 17 days after the previous one is a case and one 18 days after is not. The row is the later
-- procedure, with the one it is too close to (`previous_lesson_id`, `previous_assessment_date`).
SELECT lesson_id, lesson_ids, school_id, teacher_id, group_id, class_id, subject_id, event_date,
       lesson_numbers, work_types, previous_lesson_id, previous_assessment_date, days_since_previous,
       CAST(days_since_previous AS VARCHAR) AS detail
FROM scope_assessments
WHERE days_since_previous < $assessment_min_interval_days
ORDER BY event_date, class_id, group_id, subject_id;
