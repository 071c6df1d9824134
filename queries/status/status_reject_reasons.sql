-- Why rows were rejected, most frequent first, over every batch.
SELECT table_name, reason, count(*) AS rows, min(batch_id) AS first_batch, max(batch_id) AS last_batch
FROM rejected_rows
GROUP BY table_name, reason
ORDER BY rows DESC, table_name, reason
