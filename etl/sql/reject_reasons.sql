-- Why rows were rejected, most frequent first, per file: in one batch ($batch_id), or in every batch
-- ($batch_id NULL), at most $limit reasons (NULL: all). The admin fixes files, so a reason is counted per
-- file the school (or its ЭЖ) wrote: the bundle's file, or for an import the system's own file that the
-- row's source_place names first («responses.jsonl, строка 14 (…)»). A reason names the offending value
-- («урок L9 не найден»): rows that differ only in that value are one reason («урок … не найден», with one
-- example), so that a thousand marks of a few missing lessons do not hide the lessons' own reason. Read by
-- the loader's summary and by `zavuch status` and the deck's Данные page (queries.status), so both say the
-- same.
WITH r AS (
    SELECT table_name, batch_id, file_name AS bundle_file, line,
           coalesce(NULLIF(split_part(source_place, ', ', 1), ''), file_name) AS file_name,
           CASE WHEN coalesce(value, '') <> '' AND contains(reason, value) THEN replace(reason, value, '…')
                ELSE reason END AS pattern,
           value, reason
    FROM rejected_rows
    WHERE $batch_id IS NULL OR batch_id = $batch_id
)
SELECT file_name, table_name,
       CASE WHEN count(DISTINCT reason) = 1 THEN any_value(reason)
            ELSE pattern || ' (например, ' || min(value) || ')' END AS reason,
       count(DISTINCT (batch_id, bundle_file, line)) AS rows,
       min(batch_id) AS first_batch, max(batch_id) AS last_batch
FROM r
GROUP BY file_name, table_name, pattern
ORDER BY rows DESC, file_name, table_name, reason
LIMIT $limit
