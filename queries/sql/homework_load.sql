-- Daily homework load of each class: tasks due on a day (due_date, else the group's next held lesson
-- of the subject) and their minutes where the duration is given, against the SanPiN daily limit of
-- the grade ([homework].daily_minutes_limit). Parallel subgroups of one subject count once (the larger).
WITH l AS (
    SELECT *, lead(lesson_date) OVER (PARTITION BY group_id, subject_id
                                      ORDER BY lesson_date, lesson_number NULLS LAST, lesson_id) AS next_lesson_date
    FROM scope_lessons
    WHERE status = 'held'
),
tasks AS (
    SELECT l.class_id, l.grade, l.group_id, l.subject_id,
           coalesce(h.due_date, l.next_lesson_date) AS due_day,
           count(*) AS tasks, count(h.duration_minutes) AS tasks_timed,
           coalesce(sum(h.duration_minutes), 0)::BIGINT AS minutes
    FROM l JOIN journal_homework() h ON h.lesson_id = l.lesson_id
                                        AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
    GROUP BY ALL
),
by_subject AS (
    SELECT class_id, grade, subject_id, due_day,
           max(tasks) AS tasks, max(tasks_timed) AS tasks_timed, max(minutes) AS minutes
    FROM tasks WHERE due_day IS NOT NULL
    GROUP BY ALL
)
SELECT class_id, grade, due_day AS event_date,
       sum(tasks)::BIGINT AS tasks, sum(tasks_timed)::BIGINT AS tasks_timed, sum(minutes)::BIGINT AS minutes_known,
       ladder_value(grade, $hw_limit_grades, $hw_limit_minutes) AS minutes_limit,
       sum(minutes) > ladder_value(grade, $hw_limit_grades, $hw_limit_minutes) AS over_limit
FROM by_subject
GROUP BY class_id, grade, due_day
ORDER BY class_id, event_date;
