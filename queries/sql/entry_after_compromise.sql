-- Marks entered by an account at or after the moment its compromise was reported: invalid under
-- regulation 4.4. teacher_id is the compromised account.
WITH incidents AS (SELECT person_id, min(reported_at) AS reported_at FROM account_incidents GROUP BY person_id)
SELECT m.mark_id, i.person_id AS teacher_id, m.student_id, m.lesson_id, m.group_id, m.class_id, m.subject_id,
       m.lesson_date AS event_date, m.value_raw, m.entered_at, i.reported_at
FROM scope_marks m
JOIN incidents i ON i.person_id = m.entered_by AND m.entered_at >= i.reported_at
ORDER BY event_date, group_id, lesson_id, student_id, mark_id;
