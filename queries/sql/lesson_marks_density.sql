-- Накопляемость per lesson: on each held ordinary lesson (no control-work marks), how many of the
-- students present were marked, against [journal].lesson_marked_share. domain-notes §1.3.
-- Student-lessons are counted per lesson alone; the lesson's context comes from scope_lessons.
WITH present AS (
    SELECT lesson_id, coalesce(sum(students) FILTER (WHERE NOT is_absent), 0)::BIGINT AS students_present
    FROM scope_lesson_attendance
    GROUP BY lesson_id
),
marked AS (  -- held lessons only, as `present`: the join below keeps no other lesson
    SELECT lesson_id, count(*) AS students_marked, bool_or(has_control) AS has_control
    FROM scope_marked_students
    GROUP BY lesson_id
)
SELECT l.lesson_id, l.school_id, l.teacher_id, l.group_id, l.class_id, l.subject_id,
       l.lesson_date AS event_date, p.students_present, coalesce(m.students_marked, 0) AS students_marked,
       coalesce(m.students_marked, 0) / nullif(p.students_present, 0) AS marked_share,
       coalesce(m.students_marked, 0) < $lesson_marked_share * p.students_present AS below_norm
FROM present p
JOIN scope_lessons l USING (lesson_id)
LEFT JOIN marked m USING (lesson_id)
WHERE l.grade >= $min_grade AND NOT coalesce(m.has_control, false)
ORDER BY event_date, group_id, lesson_id;
