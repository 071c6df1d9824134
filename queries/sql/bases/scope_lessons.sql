-- Lessons in scope with their group's grade and class and the lesson's teacher (scoped_lessons in
-- _setup.sql): the base of every lesson-level metric. `topic_missing` (topic_is_missing of _setup.sql)
-- is judged here once: four metrics read it, and its regexes are the costliest part of each.
SELECT *, topic_is_missing(topic, $topic_min_chars) AS topic_missing
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id)
