-- Накопляемость per student: share of the held lessons a student attended in a subject on which the
-- student got a mark, against [journal].student_marked_share. domain-notes §2.
WITH attended AS (
    SELECT student_id, subject_id, mode(group_id) AS group_id, mode(class_id) AS class_id,
           mode(teacher_id) AS teacher_id, min(grade) AS grade,
           count(*) FILTER (WHERE NOT is_absent) AS lessons_attended
    FROM student_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
    GROUP BY student_id, subject_id
),
marked AS (
    SELECT student_id, subject_id, count(DISTINCT lesson_id) AS lessons_marked
    FROM scoped_marks($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
    WHERE lesson_status = 'held'
    GROUP BY ALL
)
SELECT a.student_id, a.subject_id, a.group_id, a.class_id, a.teacher_id, a.lessons_attended,
       coalesce(m.lessons_marked, 0) AS lessons_marked,
       round(coalesce(m.lessons_marked, 0) / nullif(a.lessons_attended, 0), 4) AS marked_share,
       coalesce(m.lessons_marked, 0) < $student_marked_share * a.lessons_attended AS below_norm
FROM attended a
LEFT JOIN marked m USING (student_id, subject_id)
WHERE a.grade >= $min_grade
ORDER BY class_id, student_id, subject_id;
