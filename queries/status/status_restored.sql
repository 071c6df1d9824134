-- A warehouse restored from a year archive (etl/archive/restore.py): which archive and when; no row otherwise.
SELECT max(value) FILTER (WHERE key = 'restored_from_archive') AS archive,
       max(value) FILTER (WHERE key = 'restored_at') AS restored_at
FROM warehouse_info
HAVING archive IS NOT NULL;
