-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
-- Mark values: etl/sql/parse_mark.sql.
CASE WHEN zv_mark_kind(value) IS NULL THEN
    {'column': 'value', 'value': value, 'reason': zv_mark_reason(value, false)} END,
CASE WHEN weight <= 0 THEN {'column': 'weight', 'value': r_weight, 'reason': 'вес должен быть больше нуля'} END
