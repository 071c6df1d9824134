-- Накопляемость per student: share of the held lessons a student attended in a subject on which the
-- student got a mark, against [journal].student_marked_share. domain-notes §2.
WITH marked AS (
    SELECT student_id, subject_id, count(*) AS lessons_marked
    FROM scope_marked_students
    GROUP BY student_id, subject_id
)
SELECT a.student_id, a.subject_id, a.group_id, a.class_id, a.teacher_id, a.lessons_attended,
       coalesce(m.lessons_marked, 0) AS lessons_marked,
       coalesce(m.lessons_marked, 0) / nullif(a.lessons_attended, 0) AS marked_share,
       coalesce(m.lessons_marked, 0) < $student_marked_share * a.lessons_attended AS below_norm
FROM scope_student_subjects a
LEFT JOIN marked m USING (student_id, subject_id)
WHERE a.grade >= $min_grade
ORDER BY class_id, student_id, subject_id;
