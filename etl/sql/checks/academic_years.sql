-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
CASE WHEN end_date < start_date THEN
    {'column': 'end_date', 'value': r_end_date, 'reason': 'дата окончания раньше даты начала (' || r_start_date || ')'} END
