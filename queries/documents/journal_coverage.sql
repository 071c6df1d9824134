-- Полнота заполнения журнала (regulation 2.5–2.7, 2.10; domain-notes §1.3) for the справка's narrative:
-- for the whole scope (dimension 'school') and per teacher, held lessons checked, how many of them are in
-- grades that keep marks (none: the справка's checks of marks have nothing to check), and how many
-- have a real topic, homework (of the lessons that need it), a roll call (every grade: grade 1 keeps
-- no marks, but its lessons are entered like any other), and on how many ordinary lessons of the grades
-- with marks (control.min_grade and up) at least [journal].lesson_marked_share of the students present
-- were marked. The complements
-- equal the rows of topic_missing, homework_missing, attendance_unmarked and the below_norm rows of
-- lesson_marks_density for the same scope. Reads the shared bases (queries/bases.py) the finding metrics
-- of the same справка have already built for this scope.
WITH l AS (
    SELECT lesson_id, teacher_id, grade >= $min_grade AS keeps_marks,
           NOT topic_missing AS has_topic,
           NOT (list_contains($hw_exempt_grades, grade) OR list_contains($hw_exempt_subjects, subject_name))
               AS needs_homework,
           EXISTS (SELECT 1 FROM journal_homework() h WHERE h.lesson_id = sl.lesson_id)
               AS has_homework,
           attendance_taken_at IS NOT NULL AS roll_taken
    FROM scope_lessons sl
    WHERE status = 'held'
),
present AS (
    SELECT lesson_id, coalesce(sum(students) FILTER (WHERE NOT is_absent), 0)::BIGINT AS students_present
    FROM scope_lesson_attendance
    GROUP BY lesson_id
),
marked AS (
    SELECT lesson_id, count(DISTINCT student_id) AS students_marked, bool_or(is_control) AS has_control
    FROM scope_marks
    GROUP BY lesson_id
),
judged AS (
    SELECT l.*,
           l.keeps_marks AND p.lesson_id IS NOT NULL AND NOT coalesce(m.has_control, false) AS is_ordinary,
           coalesce(m.students_marked, 0) >= $lesson_marked_share * p.students_present AS marks_norm_met
    FROM l
    LEFT JOIN present p USING (lesson_id)
    LEFT JOIN marked m USING (lesson_id)
)
SELECT CASE WHEN grouping(teacher_id) = 1 THEN 'school' ELSE 'teacher' END AS dimension,
       teacher_id,
       count(*) AS lessons_held,
       count(*) FILTER (WHERE keeps_marks) AS lessons_with_marks,
       count(*) FILTER (WHERE has_topic) AS lessons_with_topic,
       round(count(*) FILTER (WHERE has_topic) / nullif(count(*), 0), 4) AS topic_share,
       count(*) FILTER (WHERE needs_homework) AS lessons_needing_homework,
       count(*) FILTER (WHERE needs_homework AND has_homework) AS lessons_with_homework,
       round(count(*) FILTER (WHERE needs_homework AND has_homework)
             / nullif(count(*) FILTER (WHERE needs_homework), 0), 4) AS homework_share,
       count(*) FILTER (WHERE roll_taken) AS lessons_roll_taken,
       round(count(*) FILTER (WHERE roll_taken) / nullif(count(*), 0), 4) AS roll_share,
       count(*) FILTER (WHERE is_ordinary) AS ordinary_lessons,
       count(*) FILTER (WHERE is_ordinary AND marks_norm_met) AS lessons_marks_norm_met,
       round(count(*) FILTER (WHERE is_ordinary AND marks_norm_met)
             / nullif(count(*) FILTER (WHERE is_ordinary), 0), 4) AS marks_norm_share
FROM judged
GROUP BY GROUPING SETS ((), (teacher_id))
ORDER BY dimension, teacher_id;
