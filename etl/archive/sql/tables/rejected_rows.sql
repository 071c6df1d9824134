-- Rows the loader refused, with reasons (provenance: what never reached the warehouse).
SELECT * FROM rejected_rows ORDER BY ALL
