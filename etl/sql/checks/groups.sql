-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
-- Schema: a subgroup has a parent class, a class has none.
CASE WHEN kind = 'subgroup' AND r_parent_group_id IS NULL THEN
    {'column': 'parent_group_id', 'value': r_parent_group_id, 'reason': 'у подгруппы должен быть указан класс'} END,
CASE WHEN kind = 'class' AND r_parent_group_id IS NOT NULL THEN
    {'column': 'parent_group_id', 'value': r_parent_group_id, 'reason': 'у класса не бывает родительского класса (это подгруппа?)'} END
