-- Marks (not deleted) on lessons in scope with the lesson's context, the work type, and the entry lag
-- and timeliness under the deadlines in force (mark_lags of _setup.sql), narrowed to the columns the
-- metrics read: with many schools this is one of the two largest bases, and copying columns costs.
SELECT mark_id, student_id, value_raw, value_num, value_kind, comment, work_type_id, work_type_name,
       is_control, entered_by, entered_at, lesson_id, school_id, group_id, class_id, grade, subject_id,
       lesson_date, lesson_number, lesson_status, teacher_id,
       deadline_days, lag_basis, lag_precision, lag_days_min, lag_days_max, timeliness
FROM mark_lags($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id,
               $mark_days, $control_work_days, $named_work_types, $named_work_type_days)
