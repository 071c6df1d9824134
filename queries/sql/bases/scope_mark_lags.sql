-- Entry lag and timeliness of every mark in scope under the deadlines in force (mark_lags of _setup.sql).
SELECT * FROM mark_lags($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id,
                        $mark_days, $control_work_days, $named_work_types, $named_work_type_days)
