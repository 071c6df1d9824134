-- Накопляемость per lesson: on each held ordinary lesson (no control-work marks), how many of the
-- students present were marked, against [journal].lesson_marked_share. domain-notes §1.3.
WITH present AS (
    SELECT lesson_id, school_id, teacher_id, group_id, class_id, subject_id, lesson_date, grade,
           count(*) FILTER (WHERE NOT is_absent) AS students_present
    FROM scope_student_lessons
    GROUP BY ALL
),
marked AS (
    SELECT lesson_id, count(DISTINCT student_id) AS students_marked, bool_or(is_control) AS has_control
    FROM scope_marks
    GROUP BY lesson_id
)
SELECT p.lesson_id, p.school_id, p.teacher_id, p.group_id, p.class_id, p.subject_id,
       p.lesson_date AS event_date, p.students_present, coalesce(m.students_marked, 0) AS students_marked,
       round(coalesce(m.students_marked, 0) / nullif(p.students_present, 0), 4) AS marked_share,
       coalesce(m.students_marked, 0) < $lesson_marked_share * p.students_present AS below_norm
FROM present p
LEFT JOIN marked m USING (lesson_id)
WHERE p.grade >= $min_grade AND NOT coalesce(m.has_control, false)
ORDER BY event_date, group_id, lesson_id;
