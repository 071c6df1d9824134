-- Rejected rows of the latest batches as the loader recorded them: file, line, column, value, reason.
SELECT batch_id, table_name, file_name, line, column_name, value, reason
FROM rejected_rows
ORDER BY batch_id DESC, file_name, line
LIMIT $limit;
