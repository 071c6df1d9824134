-- Row rules of this table beyond types, required values, choices and references (etl/validation.py).
-- A comma-separated list of expressions over the typed columns (raw text in r_<column>); each yields
-- {column, value, reason} for a bad row and NULL otherwise. Reasons are shown to the school, in Russian.
-- A lesson outside its class's academic year is a mistyped date (2062 for 2026): loaded, it would stretch
-- the year's date range, the snapshot's scope and the data's freshness. Its group's year is already in the
-- warehouse (groups and academic_years load before lessons, in the same batch).
(SELECT CASE WHEN lesson_date NOT BETWEEN y.start_date AND y.end_date THEN
    {'column': 'lesson_date', 'value': r_lesson_date,
     'reason': 'дата урока вне учебного года ' || y.name || ' (' || strftime(y.start_date, '%d.%m.%Y') || '–'
               || strftime(y.end_date, '%d.%m.%Y') || ') класса (группы) ' || g.id} END
 FROM groups g JOIN academic_years y ON y.id = g.academic_year_id WHERE g.id = r_group_id)
