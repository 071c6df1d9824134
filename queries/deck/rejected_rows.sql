-- Rejected rows of the latest batches as the loader recorded them: file, line, column, value, reason.
-- A row of an `import` names the place in the system's own files (source_place) instead of the line of
-- the bundle the import wrote to a temporary folder; `*` so that a warehouse loaded before source_place
-- existed still reads (queries.deck.rejected_rows adds the column).
SELECT *
FROM rejected_rows
ORDER BY batch_id DESC, file_name, line
LIMIT $limit;
