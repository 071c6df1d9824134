-- What the warehouse holds per class and week: lessons in the timetable, held, with a topic, with the
-- roll taken, and marks. Shows the deputy where data is missing (gaps) before trusting any figure.
SELECT coalesce(g.parent_group_id, g.id) AS class_id,
       date_trunc('week', l.lesson_date)::DATE AS week_start,
       count(*) AS lessons,
       count(*) FILTER (WHERE l.status = 'held') AS lessons_held,
       count(*) FILTER (WHERE l.status = 'held' AND l.topic IS NOT NULL AND trim(l.topic) <> '') AS lessons_with_topic,
       count(*) FILTER (WHERE l.status = 'held' AND l.attendance_taken_at IS NOT NULL) AS lessons_roll_taken,
       coalesce(sum(m.marks), 0)::BIGINT AS marks
FROM journal_lessons() l
JOIN groups g ON g.id = l.group_id
LEFT JOIN (SELECT lesson_id, count(*) AS marks FROM journal_marks() GROUP BY lesson_id) m
       ON m.lesson_id = l.id
WHERE l.lesson_date BETWEEN $date_from AND $date_to
  AND ($school_id IS NULL OR l.school_id = $school_id)
  AND g.grade BETWEEN $grade_from AND $grade_to
  AND ($group_id IS NULL OR g.id = $group_id OR g.parent_group_id = $group_id)
GROUP BY ALL
ORDER BY class_id, week_start;
