-- Rows per table; fact tables also count rows marked deleted (vanished from a later snapshot).
SELECT table_name, rows, deleted FROM (
    SELECT 1 AS ord, 'schools' AS table_name, count(*) AS rows, 0 AS deleted FROM schools
    UNION ALL SELECT 2 AS ord, 'academic_years' AS table_name, count(*) AS rows, 0 AS deleted FROM academic_years
    UNION ALL SELECT 3 AS ord, 'periods' AS table_name, count(*) AS rows, 0 AS deleted FROM periods
    UNION ALL SELECT 4 AS ord, 'holidays' AS table_name, count(*) AS rows, 0 AS deleted FROM holidays
    UNION ALL SELECT 5 AS ord, 'people' AS table_name, count(*) AS rows, 0 AS deleted FROM people
    UNION ALL SELECT 6 AS ord, 'subjects' AS table_name, count(*) AS rows, 0 AS deleted FROM subjects
    UNION ALL SELECT 7 AS ord, 'groups' AS table_name, count(*) AS rows, 0 AS deleted FROM groups
    UNION ALL SELECT 8 AS ord, 'memberships' AS table_name, count(*) AS rows, 0 AS deleted FROM memberships
    UNION ALL SELECT 9 AS ord, 'curriculum' AS table_name, count(*) AS rows, 0 AS deleted FROM curriculum
    UNION ALL SELECT 10 AS ord, 'plan_lessons' AS table_name, count(*) AS rows, 0 AS deleted FROM plan_lessons
    UNION ALL SELECT 11 AS ord, 'work_types' AS table_name, count(*) AS rows, 0 AS deleted FROM work_types
    UNION ALL SELECT 12 AS ord, 'account_incidents' AS table_name, count(*) AS rows, 0 AS deleted FROM account_incidents
    UNION ALL SELECT 13 AS ord, 'lessons' AS table_name, count(*) AS rows, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM lessons
    UNION ALL SELECT 14 AS ord, 'marks' AS table_name, count(*) AS rows, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM marks
    UNION ALL SELECT 15 AS ord, 'final_marks' AS table_name, count(*) AS rows, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM final_marks
    UNION ALL SELECT 16 AS ord, 'attendance' AS table_name, count(*) AS rows, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM attendance
    UNION ALL SELECT 17 AS ord, 'homework' AS table_name, count(*) AS rows, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted FROM homework
    UNION ALL SELECT 18 AS ord, 'mark_events' AS table_name, count(*) AS rows, 0 AS deleted FROM mark_events
    UNION ALL SELECT 19 AS ord, 'rejected_rows' AS table_name, count(*) AS rows, 0 AS deleted FROM rejected_rows
)
ORDER BY ord
