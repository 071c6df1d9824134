-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
CASE WHEN duration_minutes < 0 THEN
    {'column': 'duration_minutes', 'value': r_duration_minutes, 'reason': 'время выполнения не может быть отрицательным'} END
