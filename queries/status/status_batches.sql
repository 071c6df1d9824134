-- The latest import batches, newest first.
SELECT batch_id, source_system, bundle_path, status, started_at, finished_at,
       rows_read, rows_loaded, rows_unchanged, rows_rejected, rows_deleted
FROM import_batches
ORDER BY batch_id DESC
LIMIT $limit
