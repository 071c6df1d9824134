-- Files of every import batch (provenance of the archived rows).
SELECT * FROM import_files ORDER BY batch_id, table_name
