-- Students who missed at least [attendance].na_risk_missed_share of a subject's lessons in scope:
-- their period mark is at risk of «н/а» (domain-notes §2; regulation 2.11).
SELECT student_id, subject_id, group_id, class_id, teacher_id, lessons, absences,
       absences / lessons AS absence_share
FROM scope_student_subjects
WHERE absences >= $na_risk_share * lessons
ORDER BY class_id, student_id, subject_id;
