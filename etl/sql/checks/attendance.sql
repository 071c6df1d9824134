-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
-- Codes are looked up upper-cased and trimmed in the attendance_codes table (schema.sql).
CASE WHEN upper(code) NOT IN (SELECT raw_code FROM attendance_codes) THEN
    {'column': 'code', 'value': code, 'reason': 'код посещаемости «' || code || '» не распознан (допустимые коды: таблица attendance_codes)'} END
