-- The sources of import batches other than the demo generator: a warehouse with any holds real
-- children's data, so the deck always asks for a login (docs/security.md) and `zavuch demo` refuses
-- to load the fictional school into it.
SELECT DISTINCT source_system FROM import_batches WHERE source_system <> 'demo' ORDER BY source_system
