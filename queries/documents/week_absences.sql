-- Weekly printout for parents (annex 3 p.1): absences and lateness of the class's students in the week,
-- one row per student, day and code as written in the journal (with its meaning): the lesson numbers and
-- subjects it covers in timetable order. A pupil ill all week is five rows, not thirty, so the printout
-- keeps to one sheet.
WITH a AS (
    SELECT a.student_id, a.lesson_date, l.lesson_number, a.subject_id, a.raw_code,
           coalesce(c.meaning, a.status) AS meaning
    FROM journal_attendance() a
    JOIN lessons l ON l.id = a.lesson_id AND l.deleted_at IS NULL
    JOIN groups g ON g.id = a.group_id
    LEFT JOIN attendance_codes c ON c.raw_code = upper(trim(a.raw_code))
    WHERE coalesce(g.parent_group_id, g.id) = $group_id
      AND a.lesson_date BETWEEN $date_from AND $date_to
)
SELECT student_id, lesson_date, raw_code, meaning,
       list(lesson_number ORDER BY lesson_number, subject_id) AS lesson_numbers,
       list(subject_id ORDER BY lesson_number, subject_id) AS subject_ids
FROM a
GROUP BY student_id, lesson_date, raw_code, meaning
ORDER BY student_id, lesson_date, min(lesson_number), raw_code;
