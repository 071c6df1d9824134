-- Marks entered later than their work type's deadline ([deadlines]: ordinary 1 day, control works 7,
-- named types such as «Сочинение» 10): regulation 2.8, annex 3 p.3. Only certain lateness is a finding:
-- a mark whose entry time the source does not give ('possibly_late': only first_seen_at is known and its
-- bound straddles the deadline) is not charged to a teacher; timeliness_overview counts those marks and
-- mark_lag lists them with their bound.
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, work_type_name, value_raw, entered_by, entered_at,
       deadline_days, lag_basis, lag_precision, lag_days_min, lag_days_max, timeliness
FROM scope_marks
WHERE lesson_status = 'held' AND grade >= $min_grade AND timeliness = 'late'
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
