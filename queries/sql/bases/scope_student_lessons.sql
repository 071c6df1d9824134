-- Held lessons in scope × the students who were members of the lesson's group that day, with their
-- attendance status (student_lessons of _setup.sql), narrowed to the columns the attendance and
-- накопляемость metrics read: with many schools this is the largest base.
SELECT lesson_id, school_id, group_id, class_id, grade, subject_id, lesson_date, teacher_id,
       student_id, attendance_status, is_absent
FROM student_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
