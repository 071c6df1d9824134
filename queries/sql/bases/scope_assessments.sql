-- Assessment procedures («оценочные процедуры»: the 2021 recommendations of Минпросвещения and
-- Рособрнадзор, domain-notes §2) in scope, one row per procedure, with what the three rules of
-- [assessment] judge. Shared by assessment_schedule, assessment_too_frequent, assessment_day_edge and
-- assessment_share_high.
-- * A procedure is a held lesson (grade >= control.min_grade) with at least one valid mark of a control
--   work type (work_types.is_control, as control_work_incomplete decides), per group (a class, or a
--   subgroup on its own: its pupils sit its procedures, not the other subgroup's) × subject × day: the
--   halves of a double lesson (two lessons of one group and subject on one day) are one procedure
--   (`lesson_ids`, `lesson_numbers`, `lessons` = the lessons it took). A cancelled or planned lesson is
--   no procedure, whatever marks it carries.
-- * The previous procedure is the group × subject's last one on an earlier day within the scope's dates;
--   `days_since_previous` counts calendar days between the two lesson days (vacations and holidays count).
-- * The day of a class is every held lesson of the class and its subgroups, in any subject, on that date
--   (read from the journal itself, not narrowed by the subject or teacher filter); a procedure is on its
--   `first` / `last` lesson when its lowest / highest lesson number is the day's; a lesson without a
--   number is not judged. `weekly_hours`: the curriculum's for the group × subject on that day, else the
--   lessons held per calendar week in scope (as period_courses does).
WITH held AS (
    SELECT lesson_id, any_value(school_id) AS school_id, any_value(group_id) AS group_id,
           any_value(class_id) AS class_id, any_value(grade) AS grade, any_value(subject_id) AS subject_id,
           any_value(lesson_date) AS lesson_date, any_value(lesson_number) AS lesson_number,
           any_value(teacher_id) AS teacher_id, list_sort(list(DISTINCT work_type_name)) AS work_types
    FROM scope_marks
    WHERE is_control AND lesson_status = 'held' AND grade >= $min_grade
    GROUP BY lesson_id
),
procedures AS (
    SELECT group_id, subject_id, lesson_date,
           any_value(school_id) AS school_id, any_value(class_id) AS class_id, any_value(grade) AS grade,
           arg_min(lesson_id, (coalesce(lesson_number, 99), lesson_id)) AS lesson_id,
           arg_min(teacher_id, (coalesce(lesson_number, 99), lesson_id)) AS teacher_id,
           list(lesson_id ORDER BY lesson_number NULLS LAST, lesson_id) AS lesson_ids,
           list(lesson_number ORDER BY lesson_number NULLS LAST, lesson_id) AS lesson_numbers,
           count(*) AS lessons,
           min(lesson_number) AS first_number, max(lesson_number) AS last_number,
           list_sort(list_distinct(flatten(list(work_types)))) AS work_types
    FROM held
    GROUP BY group_id, subject_id, lesson_date
),
sequenced AS (
    SELECT *,
           row_number() OVER w AS procedure_number,
           lag(lesson_id) OVER w AS previous_lesson_id,
           lag(lesson_date) OVER w AS previous_assessment_date
    FROM procedures
    WINDOW w AS (PARTITION BY group_id, subject_id ORDER BY lesson_date)
),
class_days AS (  -- the few (class, day) pairs with a procedure, and every lesson of the class that day
    SELECT d.class_id, d.lesson_date, min(l.lesson_number) AS day_first_number,
           max(l.lesson_number) AS day_last_number
    FROM (SELECT DISTINCT class_id, lesson_date FROM procedures) d
    JOIN groups g ON coalesce(g.parent_group_id, g.id) = d.class_id
    JOIN journal_lessons() l ON l.group_id = g.id AND l.lesson_date = d.lesson_date
    WHERE l.status = 'held' AND l.lesson_date BETWEEN $date_from AND $date_to
      AND ($school_id IS NULL OR l.school_id = $school_id)
    GROUP BY ALL
),
course_hours AS (
    SELECT p.group_id, p.subject_id, p.lesson_date, max(c.weekly_hours) AS weekly_hours
    FROM procedures p
    JOIN curriculum c ON c.group_id = p.group_id AND c.subject_id = p.subject_id
     AND (c.valid_from IS NULL OR c.valid_from <= p.lesson_date) AND (c.valid_to IS NULL OR c.valid_to >= p.lesson_date)
    GROUP BY ALL
),
course_pace AS (  -- no curriculum row: lessons held per calendar week over the scope's dates
    SELECT group_id, subject_id,
           count(*) * 7.0 / (date_diff('day', $date_from, $date_to) + 1) AS weekly_hours
    FROM scope_lessons
    WHERE status = 'held'
    GROUP BY ALL
)
SELECT s.lesson_id, s.lesson_ids, s.school_id, s.teacher_id, s.group_id, s.class_id, s.grade, s.subject_id,
       s.lesson_date AS event_date, s.lesson_numbers, s.lessons, s.work_types, s.procedure_number,
       s.previous_lesson_id, s.previous_assessment_date, date_diff('day', s.previous_assessment_date, s.lesson_date) AS days_since_previous,
       d.day_first_number, d.day_last_number,
       CASE WHEN s.first_number = d.day_first_number AND s.last_number = d.day_last_number THEN 'only'
            WHEN s.first_number = d.day_first_number THEN 'first'
            WHEN s.last_number = d.day_last_number THEN 'last' END AS day_edge,
       CAST(coalesce(h.weekly_hours, p.weekly_hours) AS DOUBLE) AS weekly_hours
FROM sequenced s
LEFT JOIN class_days d ON d.class_id = s.class_id AND d.lesson_date = s.lesson_date
LEFT JOIN course_hours h ON h.group_id = s.group_id AND h.subject_id = s.subject_id AND h.lesson_date = s.lesson_date
LEFT JOIN course_pace p ON p.group_id = s.group_id AND p.subject_id = s.subject_id
