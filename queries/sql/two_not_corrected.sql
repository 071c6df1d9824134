-- A «2» after which the student got no other mark in the group's next [journal].two_correction_lessons
-- held lessons of the subject (only judged once that many lessons have been held). domain-notes §1.3.
-- Only the «2» are expanded to their next lessons; marks are then looked up by (lesson, student).
WITH seq_lessons AS (
    SELECT lesson_id, group_id, subject_id,
           row_number() OVER (PARTITION BY group_id, subject_id
                              ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id) AS seq
    FROM scope_lessons
    WHERE status = 'held'
),
last_seq AS (SELECT group_id, subject_id, max(seq) AS max_seq FROM seq_lessons GROUP BY ALL),
twos AS (
    SELECT t.mark_id, t.student_id, t.lesson_id, t.teacher_id, t.group_id, t.class_id, t.subject_id,
           t.lesson_date, t.value_raw, s.seq
    FROM scope_marks t
    JOIN seq_lessons s USING (lesson_id)
    JOIN last_seq ls ON ls.group_id = t.group_id AND ls.subject_id = t.subject_id
    WHERE t.grade >= $min_grade AND t.value_kind = 'grade' AND t.value_num = 2
      AND ls.max_seq >= s.seq + $two_correction_lessons
),
next_lessons AS MATERIALIZED (  -- a few rows per «2»: built before the marks are probed
    SELECT w.mark_id, w.student_id, n.lesson_id
    FROM twos w
    JOIN seq_lessons n ON n.group_id = w.group_id AND n.subject_id = w.subject_id
                      AND n.seq > w.seq AND n.seq <= w.seq + $two_correction_lessons
),
probed AS (  -- EXISTS in the select list is a mark join, which hashes next_lessons (the few rows) and
            -- streams every mark past it; a plain join hashed all the marks instead
    SELECT x.lesson_id, x.student_id,
           EXISTS (SELECT 1 FROM next_lessons nl WHERE nl.lesson_id = x.lesson_id AND nl.student_id = x.student_id)
               AS hit
    FROM scope_marks x
),
marked AS (SELECT DISTINCT lesson_id, student_id FROM probed WHERE hit),
corrected AS (
    SELECT DISTINCT nl.mark_id
    FROM next_lessons nl
    JOIN marked x ON x.lesson_id = nl.lesson_id AND x.student_id = nl.student_id
)
SELECT mark_id, student_id, lesson_id, teacher_id, group_id, class_id, subject_id,
       lesson_date AS event_date, value_raw
FROM twos
WHERE mark_id NOT IN (SELECT mark_id FROM corrected)
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
