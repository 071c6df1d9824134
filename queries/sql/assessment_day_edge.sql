-- Assessment procedures on the first or the last lesson of the class's day (recommendations of
-- Минпросвещения and Рособрнадзор, 2021; domain-notes §2), except in subjects taught at most
-- [assessment].edge_exempt_weekly_hours a week (curriculum weekly hours of the group × subject).
-- `day_edge`: first, last, or only (the class's only lessons that day); the day's first and last lesson
-- numbers come with it (scope_assessments).
SELECT lesson_id, lesson_ids, school_id, teacher_id, group_id, class_id, subject_id, event_date,
       lesson_numbers, work_types, day_first_number, day_last_number, day_edge, weekly_hours,
       array_to_string(lesson_numbers, ',') AS detail
FROM scope_assessments
WHERE day_edge IS NOT NULL AND NOT coalesce(weekly_hours <= $assessment_edge_exempt_hours, false)
ORDER BY event_date, class_id, group_id, subject_id;
