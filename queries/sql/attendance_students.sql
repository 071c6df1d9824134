-- Absences of each student (per class they were in): lessons missed by reason, lateness, and full days
-- missed (every held lesson of the student that day missed; the day's reason is unexcused if any
-- lesson was, else illness if any, else excused). domain-notes §4.2; regulation 2.13.
WITH days AS (
    SELECT student_id, class_id, lesson_date,
           sum(lessons) AS lessons, sum(absences) AS absences, sum(absent_illness) AS absent_illness,
           sum(absent_excused) AS absent_excused, sum(absent_unexcused) AS absent_unexcused, sum(late) AS late
    FROM scope_student_days
    GROUP BY student_id, class_id, lesson_date
)
SELECT student_id, class_id,
       sum(lessons)::BIGINT AS lessons,
       sum(absences)::BIGINT AS absences,
       sum(absent_illness)::BIGINT AS absent_illness,
       sum(absent_excused)::BIGINT AS absent_excused,
       sum(absent_unexcused)::BIGINT AS absent_unexcused,
       sum(late)::BIGINT AS late,
       sum(absences)::BIGINT / sum(lessons)::BIGINT AS absence_share,
       count(*) FILTER (WHERE absences = lessons) AS full_days_missed,
       count(*) FILTER (WHERE absences = lessons AND absent_unexcused = 0 AND absent_illness > 0) AS full_days_illness,
       count(*) FILTER (WHERE absences = lessons AND absent_unexcused = 0 AND absent_illness = 0) AS full_days_excused,
       count(*) FILTER (WHERE absences = lessons AND absent_unexcused > 0) AS full_days_unexcused
FROM days
GROUP BY student_id, class_id
ORDER BY class_id, student_id;
