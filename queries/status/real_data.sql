-- Import batches from any source but the demo generator: a warehouse with such a batch holds real
-- children's data and the deck always asks for a login (docs/security.md).
SELECT count(*) AS real_batches FROM import_batches WHERE source_system <> 'demo';
