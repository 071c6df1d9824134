-- Loaded marks and absences of a student who was not a member of the lesson's group on the lesson's date
-- (the loader's flag_student_not_in_group: a mark for a pupil who had left, or put in the wrong class).
-- They load (docs/data-format.md, «flags kept on the row»); this count is how the school learns of them.
SELECT table_name, rows FROM (
    SELECT 1 AS ord, 'marks' AS table_name, count(*) AS rows FROM marks
    WHERE flag_student_not_in_group AND deleted_at IS NULL
    UNION ALL
    SELECT 2 AS ord, 'attendance' AS table_name, count(*) AS rows FROM attendance
    WHERE flag_student_not_in_group AND deleted_at IS NULL
)
WHERE rows > 0
ORDER BY ord
