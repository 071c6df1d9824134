-- A «2» after which the student got no other mark in the group's next [journal].two_correction_lessons
-- held lessons of the subject (only judged once that many lessons have been held). domain-notes §1.3.
WITH seq_lessons AS (
    SELECT *, row_number() OVER (PARTITION BY group_id, subject_id
                                 ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id) AS seq
    FROM scope_lessons
    WHERE status = 'held'
),
last_seq AS (SELECT group_id, subject_id, max(seq) AS max_seq FROM seq_lessons GROUP BY ALL),
m AS (
    SELECT mk.*, s.seq FROM scope_marks mk JOIN seq_lessons s USING (lesson_id)
)
SELECT t.mark_id, t.student_id, t.lesson_id, t.teacher_id, t.group_id, t.class_id, t.subject_id,
       t.lesson_date AS event_date, t.value_raw
FROM m t
JOIN last_seq ls ON ls.group_id = t.group_id AND ls.subject_id = t.subject_id
WHERE t.grade >= $min_grade AND t.value_kind = 'grade' AND t.value_num = 2
  AND ls.max_seq >= t.seq + $two_correction_lessons
  AND NOT EXISTS (
      SELECT 1 FROM m x
      WHERE x.student_id = t.student_id AND x.group_id = t.group_id AND x.subject_id = t.subject_id
        AND x.seq > t.seq AND x.seq <= t.seq + $two_correction_lessons)
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
