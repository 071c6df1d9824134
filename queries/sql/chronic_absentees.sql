-- Systematic absence: a student missed at least [attendance].systematic_absence_share of the month's
-- student-lessons (all reasons; domain-notes §2, §4.2). Months are cut to the scope's dates. The class
-- shown is the one of most of the month's lessons (a tie goes to the later last day, then the larger id).
WITH by_class AS (
    SELECT student_id, date_trunc('month', lesson_date)::DATE AS month_start, class_id,
           sum(lessons) AS lessons, sum(absences) AS absences, sum(absent_illness) AS absent_illness,
           sum(absent_excused) AS absent_excused, sum(absent_unexcused) AS absent_unexcused,
           max(lesson_date) AS last_day
    FROM scope_student_days
    GROUP BY ALL
)
SELECT student_id, arg_max(class_id, (lessons, last_day, class_id)) AS class_id, month_start,
       sum(lessons)::BIGINT AS lessons,
       sum(absences)::BIGINT AS absences,
       sum(absent_illness)::BIGINT AS absent_illness,
       sum(absent_excused)::BIGINT AS absent_excused,
       sum(absent_unexcused)::BIGINT AS absent_unexcused,
       sum(absences)::BIGINT / sum(lessons)::BIGINT AS absence_share
FROM by_class
GROUP BY student_id, month_start
HAVING sum(absences) >= $systematic_absence_share * sum(lessons)
ORDER BY month_start, class_id, student_id;
