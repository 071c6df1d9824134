-- Schema version and creation time of the archived warehouse.
SELECT * FROM warehouse_info ORDER BY key
