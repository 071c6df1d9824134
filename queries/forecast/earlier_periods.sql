-- Finished periods the learned model may train on at $as_of: same school, kind and grade band as the
-- period being forecast, ended before $as_of, and with period marks already in the journal at $as_of.
SELECT p.id AS period_id, p.start_date, p.end_date
FROM periods p
JOIN periods cur ON cur.id = $period_id
WHERE p.school_id = cur.school_id AND p.kind = cur.kind
  AND p.grade_from = cur.grade_from AND p.grade_to = cur.grade_to
  AND p.end_date < $as_of
  AND EXISTS (SELECT 1 FROM final_marks f
              -- regulation 4.4: a period mark made after a compromise report known at $as_of does not count
              LEFT JOIN compromise_reports() cr ON cr.person_id = f.entered_by AND cr.reported_at < $as_of_end
              WHERE f.period_id = p.id AND f.kind = 'period' AND f.deleted_at IS NULL
                AND coalesce(f.entered_at, f.first_seen_at) < $as_of_end
                AND NOT made_after_report(f.entered_at, f.entered_at_precision, cr.reported_at))
ORDER BY p.start_date;
