-- A «2» (value 2, any modifier) on the first held lesson of the same group and subject after a lesson
-- the student missed (any absence; being late is not absence). domain-notes §1.3.
WITH seq_lessons AS (
    SELECT *, row_number() OVER (PARTITION BY group_id, subject_id
                                 ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id) AS seq
    FROM scope_lessons
    WHERE status = 'held'
),
absent AS (
    SELECT a.student_id, s.group_id, s.subject_id, s.seq, s.lesson_date
    FROM journal_attendance() a JOIN seq_lessons s ON s.lesson_id = a.lesson_id
    WHERE is_absence(a.status) AND a.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR a.school_id = $school_id)
)
SELECT m.mark_id, m.student_id, m.lesson_id, m.teacher_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, m.value_raw, ab.lesson_date AS absence_date
FROM scope_marks m
JOIN seq_lessons s ON s.lesson_id = m.lesson_id
JOIN absent ab ON ab.student_id = m.student_id AND ab.group_id = s.group_id
              AND ab.subject_id = s.subject_id AND ab.seq = s.seq - 1
WHERE m.grade >= $min_grade AND m.value_kind = 'grade' AND m.value_num = 2
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
