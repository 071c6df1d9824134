-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
CASE WHEN valid_to < valid_from THEN
    {'column': 'valid_to', 'value': r_valid_to, 'reason': 'дата окончания раньше даты начала (' || r_valid_from || ')'} END,
CASE WHEN weekly_hours <= 0 THEN
    {'column': 'weekly_hours', 'value': r_weekly_hours, 'reason': 'часов в неделю должно быть больше нуля'} END
