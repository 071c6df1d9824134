-- Marks that a snapshot no longer carries (vanished_marks): 'deleted' at the batch time.
INSERT INTO mark_events
SELECT m.id, $batch_id, 'deleted', $now, 'loader', m.value_raw, NULL, m.weight, NULL
FROM marks m JOIN vanished_marks v ON v.id = m.id
