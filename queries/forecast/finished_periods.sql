-- Periods a backtest can replay: ended before $as_of (not school years), with period marks set.
SELECT p.id AS period_id, p.name, p.start_date, p.end_date
FROM periods p
WHERE p.end_date < $as_of AND p.kind <> 'year'
  AND ($school_id IS NULL OR p.school_id = $school_id)
  -- with valid period marks: regulation 4.4 (journal_final_marks leaves out those made after a report)
  AND EXISTS (SELECT 1 FROM journal_final_marks() f WHERE f.period_id = p.id AND f.kind = 'period')
ORDER BY p.school_id, p.start_date, p.grade_from;
