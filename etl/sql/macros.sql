-- Parsing macros for cells of a bundle, all text as read (etl/readers.py). Each returns NULL when the
-- text is not a valid value; the loader turns that into a rejected row (etl/validation.py).
-- Formats (docs/data-format.md): dates dd.mm.yyyy, dd.mm.yy, ISO; times with or without seconds;
-- decimal comma or point. Two-digit years are tried first: '%Y' would read '01.09.25' as year 25.

-- A timestamp in any accepted form. Years outside the norms' [plausibility] min_year..max_year are typos, not
-- dates: the loader sets the variables zv_min_year and zv_max_year from the norms before these macros run.
-- ISO first: a plain cast is ten times cheaper than trying six patterns.
CREATE OR REPLACE TEMP MACRO zv_any_timestamp(s) AS coalesce(
    try_cast(s AS TIMESTAMP),
    try_strptime(s, ['%d.%m.%y %H:%M:%S', '%d.%m.%y %H:%M', '%d.%m.%y',
                     '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y']));

CREATE OR REPLACE TEMP MACRO zv_plausible(ts) AS CASE WHEN year(ts) BETWEEN getvariable('zv_min_year') AND getvariable('zv_max_year') THEN ts END;

CREATE OR REPLACE TEMP MACRO zv_timestamp(s) AS zv_plausible(zv_any_timestamp(s));

-- 'date' | 'minute' | 'second': how precise the written time is (schema: *_precision).
CREATE OR REPLACE TEMP MACRO zv_precision(s) AS
    CASE length(s) - length(replace(s, ':', '')) WHEN 0 THEN 'date' WHEN 1 THEN 'minute' ELSE 'second' END;

CREATE OR REPLACE TEMP MACRO zv_date(s) AS CAST(zv_timestamp(s) AS DATE);

-- Written in an accepted form (digits where they belong), whether or not such a day and time exist:
-- tells «31.02.2025» (no such date) from «сентябрь» (not a date) in the rejected row's reason.
CREATE OR REPLACE TEMP MACRO zv_moment_shaped(s) AS regexp_full_match(
    s, '(\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})|\d{4}-\d{2}-\d{2})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?');

-- '1 234,5' -> '1234.5'; the caller casts to the column's exact type.
CREATE OR REPLACE TEMP MACRO zv_number_text(s) AS replace(replace(replace(s, ' ', ''), chr(160), ''), ',', '.');

-- да/нет in the forms schools write them.
CREATE OR REPLACE TEMP MACRO zv_bool(s) AS
    CASE WHEN lower(s) IN ('1', 'true', 'да', 'д', 'yes', 'y', 'истина', '+', 'x', 'х', 'v') THEN true
         WHEN lower(s) IN ('0', 'false', 'нет', 'н', 'no', 'n', 'ложь', '-') THEN false END;
