-- The batch's most frequent reasons for rejecting rows. A reason names the offending value («урок L9 не
-- найден»): rows that differ only in that value are one reason («урок … не найден», with one example),
-- so that a thousand marks of a few missing lessons do not hide the lessons' own reason.
WITH r AS (
    SELECT table_name, line,
           CASE WHEN coalesce(value, '') <> '' AND contains(reason, value) THEN replace(reason, value, '…')
                ELSE reason END AS pattern,
           value, reason
    FROM rejected_rows
    WHERE batch_id = $b
)
SELECT table_name,
       CASE WHEN count(DISTINCT reason) = 1 THEN any_value(reason)
            ELSE pattern || ' (например, ' || min(value) || ')' END AS reason,
       count(DISTINCT line) AS n
FROM r
GROUP BY table_name, pattern
ORDER BY n DESC, table_name, reason
LIMIT $k
