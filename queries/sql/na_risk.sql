-- Students who missed at least [attendance].na_risk_missed_share of a subject's lessons in scope:
-- their period mark is at risk of «н/а» (domain-notes §2; regulation 2.11).
SELECT student_id, subject_id, mode(group_id) AS group_id, mode(class_id) AS class_id,
       mode(teacher_id) AS teacher_id,
       count(*) AS lessons,
       count(*) FILTER (WHERE is_absent) AS absences,
       round(count(*) FILTER (WHERE is_absent) / count(*), 4) AS absence_share
FROM student_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
GROUP BY student_id, subject_id
HAVING count(*) FILTER (WHERE is_absent) >= $na_risk_share * count(*)
ORDER BY class_id, student_id, subject_id;
