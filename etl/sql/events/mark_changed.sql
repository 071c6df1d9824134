-- What a newer snapshot changed on a known mark (diff_marks: new row + its _old_* values):
-- deleted/restored by the source's deleted_at or by reappearing, and value or weight changed.
INSERT INTO mark_events
SELECT id, $batch_id, 'restored', $now, 'loader', _old_value_raw, value_raw, _old_weight, weight
FROM diff_marks WHERE _action = 'update' AND _old_deleted_at IS NOT NULL AND deleted_at IS NULL
UNION ALL
SELECT id, $batch_id, 'deleted', deleted_at, 'source', _old_value_raw, value_raw, _old_weight, weight
FROM diff_marks WHERE _action = 'update' AND _old_deleted_at IS NULL AND deleted_at IS NOT NULL
UNION ALL
SELECT id, $batch_id, 'changed', coalesce(updated_at, $now),
       CASE WHEN updated_at IS NOT NULL THEN 'source' ELSE 'loader' END,
       _old_value_raw, value_raw, _old_weight, weight
FROM diff_marks
WHERE _action = 'update' AND (value_raw IS DISTINCT FROM _old_value_raw OR weight IS DISTINCT FROM _old_weight)
