-- Objectivity (regulation 2.11; domain-notes §5: prosecutors sanction teachers who change marks after the
-- period mark was set): period marks (grades) whose basis changed after they were set. The weighted average
-- of the period's counted grade marks as the journal held them when the period mark was set is rounded with
-- the school's thresholds and compared with the same average now (scope_period_mark_stats, as
-- period_mark_mismatch reads it); a row when marks entered, changed or deleted after the period mark make
-- the two round differently. verdict: 'fitted' (the average supports the period mark only since those
-- entries: «подогнан»), 'outdated' (it supported it when set, no longer), 'other' (neither then nor now).
-- "After" is certain, never guessed (entry_certainly_after of _setup.sql): a time known to the day is after
-- the period mark only on a later day; a mark with no entry time only if it first appeared in a later
-- snapshot than the period mark; a change recorded by the loader only if its snapshot is later than the one
-- that first carried the period mark. Only periods that ended before `as_of` (period_mark_mismatch.sql).
-- The average then is the average now with the touched marks taken back: only marks that can have come
-- after some period mark in scope are read (entered after the earliest of them, deleted, or changed), a
-- few of the period's marks, not all of them.
WITH pm AS (
    SELECT f.final_mark_id, f.period_id, f.student_id, f.subject_id, f.group_id, f.class_id, f.teacher_id,
           f.value_raw, f.value_num, f.start_date, f.end_date, f.first_seen_at,
           coalesce(f.entered_at, f.first_seen_at) AS set_at,
           CASE WHEN f.entered_at IS NULL THEN 'first_seen' ELSE 'entered_at' END AS set_at_basis,
           coalesce(time_ceiling(f.entered_at, f.entered_at_precision), f.first_seen_at) AS set_ceiling
    FROM scope_period_marks f
    JOIN periods p ON p.id = f.period_id
    WHERE NOT f.is_previous AND p.kind <> 'year' AND f.grade >= $min_grade AND f.end_date < $as_of
      AND f.value_kind = 'grade'
),
earliest AS (SELECT min(set_ceiling) AS ceiling, min(first_seen_at) AS first_seen FROM pm),
touched AS (  -- marks that can have been entered, changed or deleted after some period mark in scope
    SELECT mk.id, mk.student_id, mk.subject_id, mk.lesson_id, mk.lesson_date, mk.value_num, mk.value_kind,
           mk.weight, mk.counts_in_average, mk.deleted_at, mk.entered_at, mk.entered_at_precision,
           mk.first_seen_at, mk.entered_by
    FROM marks mk, earliest
    WHERE ($school_id IS NULL OR mk.school_id = $school_id) AND mk.lesson_date <= $date_to
      AND (mk.entered_at >= earliest.ceiling - INTERVAL 1 DAY  -- a superset of entry_certainly_after, read cheaply
           OR (mk.entered_at IS NULL AND mk.first_seen_at > earliest.first_seen)
           OR mk.deleted_at IS NOT NULL
           OR mk.id IN (SELECT mark_id FROM mark_events))
),
period_marks AS (  -- the touched marks of each period mark's student, subject and period
    SELECT pm.final_mark_id, mk.id AS mark_id, mk.value_num, mk.value_kind, mk.weight, mk.counts_in_average,
           mk.deleted_at,
           entry_certainly_after(mk.entered_at, mk.entered_at_precision, mk.first_seen_at,
                                 pm.set_ceiling, pm.first_seen_at) AS entered_after,
           pm.set_ceiling, pm.first_seen_at AS pm_first_seen_at
    FROM pm
    JOIN touched mk ON mk.student_id = pm.student_id AND mk.subject_id = pm.subject_id
                   AND mk.lesson_date BETWEEN pm.start_date AND pm.end_date
    JOIN lessons l ON l.id = mk.lesson_id
    LEFT JOIN compromise_reports() cr ON cr.person_id = mk.entered_by
    WHERE l.deleted_at IS NULL AND l.status = 'held'
      AND NOT made_after_report(mk.entered_at, mk.entered_at_precision, cr.reported_at)
),
first_event_after AS (  -- per mark, the first change after the period mark: what it undid is the mark as it stood
    SELECT pmk.final_mark_id, pmk.mark_id,
           arg_min(e.event, (e.event_at, e.batch_id)) AS event,
           arg_min(e.old_value_raw, (e.event_at, e.batch_id)) AS old_value_raw,
           arg_min(e.old_weight, (e.event_at, e.batch_id)) AS old_weight,
           count(*) FILTER (WHERE e.event = 'changed') AS changes,
           count(*) FILTER (WHERE e.event = 'deleted') AS deletions
    FROM period_marks pmk
    JOIN mark_events e ON e.mark_id = pmk.mark_id
    WHERE CASE e.event_at_source WHEN 'source' THEN e.event_at >= pmk.set_ceiling
                                 ELSE e.event_at > pmk.pm_first_seen_at END
    GROUP BY ALL
),
judged AS (
    SELECT pmk.final_mark_id, pmk.entered_after,
           coalesce(ev.changes, 0) > 0 AND NOT pmk.entered_after AS changed_after,
           pmk.deleted_at IS NOT NULL AND NOT pmk.entered_after
               AND (coalesce(ev.deletions, 0) > 0 OR (ev.event IS NULL AND pmk.deleted_at >= pmk.set_ceiling))
               AS deleted_after,
           -- now: the mark as it stands (as scope_period_mark_stats counts it)
           pmk.deleted_at IS NULL AND pmk.value_kind = 'grade' AND pmk.counts_in_average AS counts_now,
           pmk.value_num AS num_now, pmk.weight AS weight_now,
           -- then: absent if entered after, or deleted before (a first change after the period mark that
           -- restored it, or a deletion with no event that came before it); else its value before that change
           NOT pmk.entered_after
               AND CASE WHEN ev.event IS NOT NULL THEN ev.event <> 'restored'
                        ELSE pmk.deleted_at IS NULL OR pmk.deleted_at >= pmk.set_ceiling END
               AND pmk.counts_in_average
               AND (CASE WHEN ev.event IS NOT NULL THEN zv_mark_kind(ev.old_value_raw) ELSE pmk.value_kind END) = 'grade'
               AS counts_then,
           CASE WHEN ev.event IS NOT NULL THEN zv_mark_num(ev.old_value_raw) ELSE pmk.value_num END AS num_then,
           CASE WHEN ev.event IS NOT NULL THEN coalesce(ev.old_weight, pmk.weight) ELSE pmk.weight END AS weight_then
    FROM period_marks pmk
    LEFT JOIN first_event_after ev USING (final_mark_id, mark_id)
),
touched_sums AS (  -- per period mark: what the touched marks add to the sums now and added then
    SELECT final_mark_id,
           coalesce(sum(num_now * weight_now) FILTER (WHERE counts_now), 0) AS touched_sum_now,
           coalesce(sum(weight_now) FILTER (WHERE counts_now), 0) AS touched_weight_now,
           coalesce(sum(num_then * weight_then) FILTER (WHERE counts_then), 0) AS touched_sum_then,
           coalesce(sum(weight_then) FILTER (WHERE counts_then), 0) AS touched_weight_then,
           count(*) FILTER (WHERE entered_after AND counts_now) AS marks_entered_after,
           count(*) FILTER (WHERE changed_after) AS marks_changed_after,
           count(*) FILTER (WHERE deleted_after) AS marks_deleted_after
    FROM judged
    GROUP BY final_mark_id
    HAVING count(*) FILTER (WHERE entered_after OR changed_after OR deleted_after) > 0
),
averages AS (
    SELECT pm.*, t.marks_entered_after, t.marks_changed_after, t.marks_deleted_after,
           s.weighted_avg AS avg_now,
           (coalesce(s.weighted_sum, 0) - t.touched_sum_now + t.touched_sum_then)::DOUBLE
               / nullif(coalesce(s.weight_sum, 0) - t.touched_weight_now + t.touched_weight_then, 0)::DOUBLE
               AS avg_then
    FROM pm
    JOIN touched_sums t USING (final_mark_id)
    LEFT JOIN scope_period_mark_stats s USING (period_id, student_id, subject_id)
),
rounded AS (
    SELECT *,
           CASE WHEN avg_then IS NOT NULL THEN rounded_mark(avg_then, $round_to_3, $round_to_4, $round_to_5) END
               AS mark_then,
           CASE WHEN avg_now IS NOT NULL THEN rounded_mark(avg_now, $round_to_3, $round_to_4, $round_to_5) END
               AS mark_now
    FROM averages
)
SELECT final_mark_id, period_id, student_id, subject_id, group_id, class_id, teacher_id,
       value_raw AS period_mark, set_at AS period_mark_set_at, set_at_basis AS period_mark_set_basis,
       round(avg_then, 2) AS avg_when_set, mark_then AS mark_when_set,
       round(avg_now, 2) AS weighted_avg, mark_now AS expected_mark,
       marks_entered_after, marks_changed_after, marks_deleted_after,
       CASE WHEN mark_now = value_num AND mark_then IS DISTINCT FROM value_num THEN 'fitted'
            WHEN mark_then = value_num AND mark_now IS DISTINCT FROM value_num THEN 'outdated'
            ELSE 'other' END AS verdict,
       coalesce(printf('%.2f', avg_then), '—') || '→' || coalesce(printf('%.2f', avg_now), '—') || ', ' || value_raw
           AS detail
FROM rounded
WHERE mark_then IS DISTINCT FROM mark_now
ORDER BY period_id, class_id, student_id, subject_id;
