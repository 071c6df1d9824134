-- What each teacher did in scope: lessons held and cancelled, groups and subjects taught, marks given
-- and homework set. The base of the compliance scorecard (queries/scorecard.py).
WITH l AS (
    SELECT * FROM scope_lessons
),
marks_given AS (
    SELECT l.teacher_id, count(*) AS marks
    FROM l JOIN journal_marks() mk ON mk.lesson_id = l.lesson_id
                                 AND mk.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR mk.school_id = $school_id)
    WHERE l.status = 'held' GROUP BY ALL
),
homework_set AS (
    SELECT l.teacher_id, count(DISTINCT l.lesson_id) AS lessons_with_homework
    FROM l JOIN journal_homework() h ON h.lesson_id = l.lesson_id
                                        AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
    WHERE l.status = 'held' GROUP BY ALL
)
SELECT l.teacher_id,
       count(*) FILTER (WHERE l.status = 'held') AS lessons_held,
       count(*) FILTER (WHERE l.status = 'cancelled') AS lessons_cancelled,
       count(DISTINCT l.group_id) AS groups,
       count(DISTINCT l.subject_id) AS subjects,
       coalesce(any_value(mg.marks), 0) AS marks,
       coalesce(any_value(hs.lessons_with_homework), 0) AS lessons_with_homework
FROM l
LEFT JOIN marks_given mg USING (teacher_id)
LEFT JOIN homework_set hs USING (teacher_id)
WHERE l.teacher_id IS NOT NULL
GROUP BY l.teacher_id
ORDER BY l.teacher_id;
