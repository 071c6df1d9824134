-- A mark id the warehouse had not seen: 'created', at its entry time when the source gives one.
INSERT INTO mark_events
SELECT id, $batch_id, 'created',
       coalesce(entered_at, $now), CASE WHEN entered_at IS NOT NULL THEN 'source' ELSE 'loader' END,
       NULL, value_raw, NULL, weight
FROM inserted_marks
