-- The whole loading log: metrics bound unknown entry times by batch times (queries/sql/_setup.sql).
SELECT * FROM import_batches ORDER BY batch_id
