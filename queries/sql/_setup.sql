-- Shared pieces of the metric queries. queries/runner.py creates them as TEMP macros on every
-- connection before the first metric runs, so no metric file repeats them.
-- Macro arguments are named differently from table columns on purpose (d_from, sch, grp, …):
-- an argument named like a column would be ambiguous inside the macro body.

-- ------------------------------------------------------------------ small rules

-- The period mark a weighted average rounds to under the school's thresholds (≥ threshold rounds up).
CREATE OR REPLACE TEMP MACRO rounded_mark(avg_value, t3, t4, t5) AS
    CASE WHEN avg_value >= t5 THEN 5 WHEN avg_value >= t4 THEN 4 WHEN avg_value >= t3 THEN 3 ELSE 2 END;

-- A topic that does not count as written: empty, too short, or only dots and dashes.
CREATE OR REPLACE TEMP MACRO topic_is_missing(topic_text, min_chars) AS
    topic_text IS NULL
    OR length(regexp_replace(topic_text, '\s', '', 'g')) < min_chars
    OR regexp_full_match(topic_text, '[\s.\-–—…_]*');

-- The value of a ladder (list of (step, value) pairs sorted by step) at x: the highest step not above x,
-- else the first step.
CREATE OR REPLACE TEMP MACRO ladder_value(x, steps, ladder_values) AS
    coalesce(
        ladder_values[list_last(list_filter(range(1, len(steps) + 1), lambda i: steps[i] <= x))],
        ladder_values[1]);

-- Absence is any non-present status except being late or exempt.
CREATE OR REPLACE TEMP MACRO is_absence(att_status) AS
    coalesce(att_status IN ('absent_unexcused', 'absent_illness', 'absent_excused'), false);

-- Days allowed between the lesson and the entry of a mark of this work type.
CREATE OR REPLACE TEMP MACRO mark_deadline(wt_name, wt_is_control, ordinary_days, control_days, named_types, named_days) AS
    CASE
        WHEN list_position(named_types, wt_name) IS NOT NULL THEN named_days[list_position(named_types, wt_name)]
        WHEN coalesce(wt_is_control, false) THEN control_days
        ELSE ordinary_days
    END;

-- A source time known only to its precision ('date', 'minute', 'second'; NULL = to the second): the start
-- of the day (minute, second) it names, and the start of the next one. An entry known to the day is
-- certainly after a moment only from the next day on.
CREATE OR REPLACE TEMP MACRO time_floor(ts, precision) AS
    date_trunc(CASE precision WHEN 'date' THEN 'day' WHEN 'minute' THEN 'minute' ELSE 'second' END, ts);
CREATE OR REPLACE TEMP MACRO time_ceiling(ts, precision) AS
    time_floor(ts, precision)
    + CASE precision WHEN 'date' THEN INTERVAL 1 DAY WHEN 'minute' THEN INTERVAL 1 MINUTE ELSE INTERVAL 1 SECOND END;

-- Was an entry certainly made after an earlier one (a mark after the period mark)? `ceiling`: the latest
-- moment the earlier entry can have been made (its time_ceiling, else the loader's first sight of it);
-- `first_seen`: when the loader first saw it. An entry with a source time: from its time_floor on. One
-- without: only if it first appeared in a later snapshot than the earlier entry (snapshots are whole: a
-- mark missing from one did not exist then, etl/merge.py), never guessed from the loader's clock alone.
CREATE OR REPLACE TEMP MACRO entry_certainly_after(entry_time, entry_precision, entry_first_seen, ceiling, first_seen) AS
    CASE WHEN entry_time IS NOT NULL THEN time_floor(entry_time, entry_precision) >= ceiling
         ELSE entry_first_seen > first_seen END;

-- ------------------------------------------------------------------ the journal (regulation 4.4)

-- The moment each account's compromise was reported (account_incidents, regulation 4.3): its earliest
-- report, after which every entry of that account is invalid.
CREATE OR REPLACE TEMP MACRO compromise_reports() AS TABLE
SELECT person_id, min(reported_at) AS reported_at FROM account_incidents GROUP BY person_id;

-- THE rule of invalid entries (regulation 4.4): an entry made at `entry_time` by an account reported
-- compromised at `reported` is invalid when made at or after that moment. Compared at the entry time's
-- precision: an entry known only to the day (or minute) of the report cannot be shown to precede it, so
-- it counts as made after it. No report (NULL) or no entry time: not invalid (it cannot be judged).
CREATE OR REPLACE TEMP MACRO made_after_report(entry_time, entry_precision, reported) AS
    coalesce(entry_time >= time_floor(reported, entry_precision), false);

-- The fact tables as the journal stands: not deleted, and without the entries invalid under 4.4. Every
-- metric reads the facts through these (or through the bases built on them), so an invalid entry counts
-- nowhere; entry_after_compromise lists them from the tables themselves.
CREATE OR REPLACE TEMP MACRO journal_marks() AS TABLE
SELECT t.* FROM marks t LEFT JOIN compromise_reports() c ON c.person_id = t.entered_by
WHERE t.deleted_at IS NULL AND NOT made_after_report(t.entered_at, t.entered_at_precision, c.reported_at);

CREATE OR REPLACE TEMP MACRO journal_final_marks() AS TABLE
SELECT t.* FROM final_marks t LEFT JOIN compromise_reports() c ON c.person_id = t.entered_by
WHERE t.deleted_at IS NULL AND NOT made_after_report(t.entered_at, t.entered_at_precision, c.reported_at);

CREATE OR REPLACE TEMP MACRO journal_attendance() AS TABLE
SELECT t.* FROM attendance t LEFT JOIN compromise_reports() c ON c.person_id = t.recorded_by
WHERE t.deleted_at IS NULL AND NOT made_after_report(t.recorded_at, t.recorded_at_precision, c.reported_at);

CREATE OR REPLACE TEMP MACRO journal_homework() AS TABLE
SELECT t.* FROM homework t LEFT JOIN compromise_reports() c ON c.person_id = t.entered_by
WHERE t.deleted_at IS NULL AND NOT made_after_report(t.entered_at, t.entered_at_precision, c.reported_at);

-- A period's marks as the journal held them at the end of day `d` (forecasts at D, no leakage): on a held
-- lesson on or before `d`, entered (entered_at, else the loader's first_seen_at) before `d_end`, not yet
-- deleted then, and not made after a compromise report already known then (regulation 4.4). Every mark
-- kind; with the lesson's number for the journal order within a day.
CREATE OR REPLACE TEMP MACRO marks_known_at(pid, d, d_end) AS TABLE
SELECT mk.*, l.lesson_number
FROM marks mk
JOIN periods p ON p.id = pid AND mk.school_id = p.school_id AND mk.lesson_date BETWEEN p.start_date AND p.end_date
JOIN lessons l ON l.id = mk.lesson_id
LEFT JOIN compromise_reports() cr ON cr.person_id = mk.entered_by AND cr.reported_at < d_end
WHERE l.deleted_at IS NULL AND l.status = 'held' AND mk.lesson_date <= d
  AND coalesce(mk.entered_at, mk.first_seen_at) < d_end
  AND (mk.deleted_at IS NULL OR mk.deleted_at >= d_end)
  AND NOT made_after_report(mk.entered_at, mk.entered_at_precision, cr.reported_at);

-- Lessons are the timetable, not entries: a lesson stays, but an invalid topic is no topic and an
-- invalid roll call is no roll call; `entered_by` is cleared when no valid entry of it is left on the
-- lesson (it is the evidence of who worked the lesson, substitution_unrecorded).
CREATE OR REPLACE TEMP MACRO journal_lessons() AS TABLE
WITH judged AS (
    SELECT l.*,
           made_after_report(l.topic_entered_at, l.topic_entered_at_precision, c.reported_at) AS topic_invalid,
           made_after_report(l.attendance_taken_at, l.attendance_taken_at_precision, c.reported_at) AS roll_invalid
    FROM lessons l LEFT JOIN compromise_reports() c ON c.person_id = l.entered_by
    WHERE l.deleted_at IS NULL
)
SELECT * EXCLUDE (topic_invalid, roll_invalid) REPLACE (
    CASE WHEN topic_invalid THEN NULL ELSE topic END AS topic,
    CASE WHEN topic_invalid THEN NULL ELSE topic_entered_at END AS topic_entered_at,
    CASE WHEN topic_invalid THEN NULL ELSE topic_entered_at_precision END AS topic_entered_at_precision,
    CASE WHEN roll_invalid THEN NULL ELSE attendance_taken_at END AS attendance_taken_at,
    CASE WHEN roll_invalid THEN NULL ELSE attendance_taken_at_precision END AS attendance_taken_at_precision,
    CASE WHEN (topic_invalid OR roll_invalid)
              AND NOT (topic_entered_at IS NOT NULL AND NOT topic_invalid)
              AND NOT (attendance_taken_at IS NOT NULL AND NOT roll_invalid) THEN NULL
         ELSE entered_by END AS entered_by)
FROM judged;

-- ------------------------------------------------------------------ scope

-- Lessons in scope (not deleted), with the group's grade and class and the lesson's teacher
-- (actual_teacher_id, falling back to planned_teacher_id). A class filter takes its subgroups too.
CREATE OR REPLACE TEMP MACRO scoped_lessons(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) AS TABLE
SELECT
    l.id AS lesson_id, l.school_id, l.group_id, coalesce(g.parent_group_id, g.id) AS class_id,
    g.kind AS group_kind, g.grade, l.subject_id, s.name AS subject_name,
    l.lesson_date, l.lesson_number, l.status,
    coalesce(l.actual_teacher_id, l.planned_teacher_id) AS teacher_id,
    l.planned_teacher_id, l.actual_teacher_id, l.is_substitution,
    l.topic, l.topic_entered_at, l.topic_entered_at_precision, l.plan_lesson_id,
    l.entered_by, l.attendance_taken_at, l.attendance_taken_at_precision
FROM journal_lessons() l
JOIN groups g ON g.id = l.group_id
LEFT JOIN subjects s ON s.id = l.subject_id
WHERE l.lesson_date BETWEEN d_from AND d_to
  AND (sch IS NULL OR l.school_id = sch)
  AND g.grade BETWEEN gr_from AND gr_to
  AND (grp IS NULL OR g.id = grp OR g.parent_group_id = grp)
  AND (subj IS NULL OR l.subject_id = subj)
  AND (tchr IS NULL OR coalesce(l.actual_teacher_id, l.planned_teacher_id) = tchr);

-- Held lessons × the students who were members of the lesson's group that day, with their
-- attendance status (NULL = present). The basis of attendance shares and of "who should be marked".
CREATE OR REPLACE TEMP MACRO student_lessons(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) AS TABLE
SELECT
    sl.*, m.student_id, a.status AS attendance_status, a.comment AS attendance_comment,
    is_absence(a.status) AS is_absent
FROM scoped_lessons(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) sl
JOIN memberships m
  ON m.group_id = sl.group_id
 AND sl.lesson_date >= m.valid_from
 AND (m.valid_to IS NULL OR sl.lesson_date <= m.valid_to)
LEFT JOIN (
    SELECT * FROM journal_attendance()
    WHERE lesson_date BETWEEN d_from AND d_to AND (sch IS NULL OR school_id = sch)
) a ON a.lesson_id = sl.lesson_id AND a.student_id = m.student_id
WHERE sl.status = 'held';

-- Marks (not deleted) on lessons in scope, with the lesson's context and the work type.
CREATE OR REPLACE TEMP MACRO scoped_marks(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) AS TABLE
SELECT
    mk.id AS mark_id, mk.student_id, mk.value_raw, mk.value_num, mk.value_kind, mk.value_modifier,
    mk.weight, mk.counts_in_average, mk.comment, mk.work_type_id, wt.name AS work_type_name,
    coalesce(wt.is_control, false) AS is_control,
    mk.entered_by, mk.entered_at, mk.entered_at_precision, mk.first_seen_at, mk.source_system,
    sl.lesson_id, sl.school_id, sl.group_id, sl.class_id, sl.grade, sl.subject_id, sl.lesson_date,
    sl.lesson_number, sl.status AS lesson_status, sl.teacher_id
FROM journal_marks() mk
JOIN scoped_lessons(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) sl ON sl.lesson_id = mk.lesson_id
LEFT JOIN work_types wt ON wt.id = mk.work_type_id
-- marks carry their lesson's date and school: these predicates let DuckDB skip row groups early
WHERE mk.lesson_date BETWEEN d_from AND d_to AND (sch IS NULL OR mk.school_id = sch);

-- Entry lag of every mark in scope. With entered_at the lag is exact (at its precision); with only
-- the loader's first_seen_at it is a bound: the mark appeared after the time of the previous load of the
-- same source (lower bound, never below 0) and before first_seen_at (upper bound). A batch's time
-- (started_at, = first_seen_at of what it first carried) is when its data were read from the system: a
-- recording's own time when it carries one; its finished_at, when it was loaded, may be days later.
-- The previous load is looked up once per distinct (source, first_seen_at) of marks without
-- entered_at (a handful: one per load) and joined back by equality: an ASOF join of every wide mark
-- row would sort them all.
CREATE OR REPLACE TEMP MACRO mark_lags(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr,
                                       ordinary_days, control_days, named_types, named_days) AS TABLE
WITH first_seen AS (
    SELECT DISTINCT source_system, first_seen_at FROM marks
    WHERE deleted_at IS NULL AND entered_at IS NULL
      AND lesson_date BETWEEN d_from AND d_to AND (sch IS NULL OR school_id = sch)
),
previous_load AS (
    SELECT f.source_system, f.first_seen_at, b.started_at
    FROM first_seen f
    ASOF LEFT JOIN (
        SELECT source_system, started_at FROM import_batches
        WHERE finished_at IS NOT NULL AND status <> 'refused'
    ) b ON b.source_system = f.source_system AND f.first_seen_at > b.started_at
),
lagged AS (
    SELECT
        m.*,
        mark_deadline(m.work_type_name, m.is_control, ordinary_days, control_days, named_types, named_days)
            AS deadline_days,
        CASE WHEN m.entered_at IS NOT NULL THEN 'entered_at' ELSE 'first_seen' END AS lag_basis,
        CASE WHEN m.entered_at IS NOT NULL THEN coalesce(m.entered_at_precision, 'second') ELSE 'bound' END
            AS lag_precision,
        CASE WHEN m.entered_at IS NOT NULL THEN date_diff('day', m.lesson_date, m.entered_at::DATE)
             ELSE greatest(0, coalesce(date_diff('day', m.lesson_date, b.started_at::DATE), 0)) END
            AS lag_days_min,
        date_diff('day', m.lesson_date, coalesce(m.entered_at, m.first_seen_at)::DATE) AS lag_days_max
    FROM scoped_marks(d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) m
    LEFT JOIN previous_load b
      ON m.entered_at IS NULL AND b.source_system = m.source_system AND b.first_seen_at = m.first_seen_at
)
SELECT
    *,
    CASE WHEN lag_days_max < 0 THEN 'before_lesson'  -- neither in time nor late: its own finding
         WHEN lag_days_max <= deadline_days THEN 'on_time'
         WHEN lag_days_min > deadline_days THEN 'late'
         ELSE 'possibly_late' END AS timeliness
FROM lagged;

-- Reporting periods in scope: the one named, else those lying inside the date range whose grade band
-- meets the scope's.
CREATE OR REPLACE TEMP MACRO scoped_periods(pid, d_from, d_to, sch, gr_from, gr_to) AS TABLE
SELECT p.*
FROM periods p
WHERE CASE WHEN pid IS NOT NULL THEN p.id = pid
           ELSE p.start_date >= d_from AND p.end_date <= d_to AND p.kind <> 'year'
                AND (sch IS NULL OR p.school_id = sch)
                AND p.grade_from <= gr_to AND p.grade_to >= gr_from END;

-- Courses of a period: group × subject pairs with held lessons in it, their teacher (curriculum, else
-- the one who held most lessons) and weekly hours (curriculum, else lessons held per calendar week).
CREATE OR REPLACE TEMP MACRO period_courses(pid, d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) AS TABLE
WITH p AS (SELECT * FROM scoped_periods(pid, d_from, d_to, sch, gr_from, gr_to)),
held AS (
    SELECT p.id AS period_id, p.start_date, p.end_date, l.group_id, l.subject_id,
           count(*) AS lessons_held,
           mode(coalesce(l.actual_teacher_id, l.planned_teacher_id)) AS lesson_teacher_id
    FROM p
    JOIN lessons l ON l.school_id = p.school_id AND l.lesson_date BETWEEN p.start_date AND p.end_date
                  AND l.lesson_date BETWEEN d_from AND d_to
    WHERE l.deleted_at IS NULL AND l.status = 'held'
    GROUP BY ALL
),
cur AS (
    SELECT held.period_id, held.group_id, held.subject_id,
           max(c.weekly_hours) AS weekly_hours,
           arg_max(c.teacher_id, c.weekly_hours) AS curriculum_teacher_id
    FROM held
    JOIN curriculum c
      ON c.group_id = held.group_id AND c.subject_id = held.subject_id
     AND (c.valid_from IS NULL OR c.valid_from <= held.end_date)
     AND (c.valid_to IS NULL OR c.valid_to >= held.start_date)
    GROUP BY ALL
)
SELECT
    held.period_id, held.start_date, held.end_date, held.group_id,
    coalesce(g.parent_group_id, g.id) AS class_id, g.grade, held.subject_id, held.lessons_held,
    coalesce(cur.curriculum_teacher_id, held.lesson_teacher_id) AS teacher_id,
    coalesce(cur.weekly_hours,
             held.lessons_held * 7.0 / (date_diff('day', held.start_date, held.end_date) + 1)) AS weekly_hours
FROM held
JOIN groups g ON g.id = held.group_id
JOIN p ON p.id = held.period_id
LEFT JOIN cur ON cur.period_id = held.period_id AND cur.group_id = held.group_id AND cur.subject_id = held.subject_id
WHERE g.grade BETWEEN p.grade_from AND p.grade_to
  AND g.grade BETWEEN gr_from AND gr_to
  AND (grp IS NULL OR g.id = grp OR g.parent_group_id = grp)
  AND (subj IS NULL OR held.subject_id = subj)
  AND (tchr IS NULL OR coalesce(cur.curriculum_teacher_id, held.lesson_teacher_id) = tchr);

-- Students enrolled in each course: members of the course's group at any time in the period, with
-- whether they stayed the whole period and whether they were still there on its last (or `as_of`) day.
CREATE OR REPLACE TEMP MACRO period_enrolments(pid, d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr, as_of_day) AS TABLE
SELECT
    c.*, m.student_id,
    bool_or(m.valid_from <= c.start_date AND (m.valid_to IS NULL OR m.valid_to >= c.end_date)) AS whole_period,
    bool_or(m.valid_from <= least(c.end_date, as_of_day)
            AND (m.valid_to IS NULL OR m.valid_to >= least(c.end_date, as_of_day))) AS at_period_end
FROM period_courses(pid, d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) c
JOIN memberships m
  ON m.group_id = c.group_id
 AND m.valid_from <= c.end_date
 AND (m.valid_to IS NULL OR m.valid_to >= c.start_date)
GROUP BY ALL;

-- Counted grade marks of a student in a subject over a period (any group: a student who moved class
-- brings the marks of the old class) on lessons up to d_to (the check day, queries/scope.py
-- `checked_to`): count, plain and weighted averages.
CREATE OR REPLACE TEMP MACRO period_mark_stats(pid, d_from, d_to, sch, gr_from, gr_to) AS TABLE
SELECT
    p.id AS period_id, mk.student_id, mk.subject_id,
    count(*) AS counted_marks,
    avg(mk.value_num::DOUBLE) AS avg_mark,
    sum(mk.value_num::DOUBLE * mk.weight::DOUBLE) / sum(mk.weight::DOUBLE) AS weighted_avg,
    -- exact sums, for an average that some marks change (period_mark_basis_changed)
    sum(mk.value_num * mk.weight) AS weighted_sum, sum(mk.weight) AS weight_sum
FROM scoped_periods(pid, d_from, d_to, sch, gr_from, gr_to) p
JOIN journal_marks() mk ON mk.school_id = p.school_id AND mk.lesson_date BETWEEN p.start_date AND p.end_date
                       AND mk.lesson_date <= d_to
JOIN lessons l ON l.id = mk.lesson_id
WHERE l.deleted_at IS NULL AND l.status = 'held'
  -- the periods are the school's (scoped_periods; a named period's school is the scope's): these let
  -- DuckDB skip other schools' row groups
  AND (sch IS NULL OR mk.school_id = sch) AND (sch IS NULL OR l.school_id = sch)
  AND mk.value_kind = 'grade' AND mk.counts_in_average
GROUP BY ALL;

-- Each period in scope paired with itself and with its previous period (same school, kind and grade
-- band, the latest one ending before it starts), for "change against the previous period". A year
-- period's previous period is thus the previous academic year's year period of its grade band.
CREATE OR REPLACE TEMP MACRO comparison_periods(pid, d_from, d_to, sch, gr_from, gr_to) AS TABLE
WITH cur AS (SELECT * FROM scoped_periods(pid, d_from, d_to, sch, gr_from, gr_to))
SELECT cur.id AS base_period_id, cur.id AS period_id, false AS is_previous FROM cur
UNION ALL
SELECT cur.id, arg_max(p.id, p.end_date), true
FROM cur
JOIN periods p ON p.school_id = cur.school_id AND p.kind = cur.kind AND p.grade_from = cur.grade_from
              AND p.grade_to = cur.grade_to AND p.end_date < cur.start_date
GROUP BY cur.id;

-- The year marks of each year period (kind 'year'): year marks carry no period (period_id NULL), so
-- they are those of the groups of the period's school and academic year whose grade lies in its band.
CREATE OR REPLACE TEMP MACRO year_period_marks(sch) AS TABLE
SELECT p.id AS year_period_id, f.*
FROM periods p
JOIN groups g ON g.school_id = p.school_id AND g.academic_year_id = p.academic_year_id
             AND g.grade BETWEEN p.grade_from AND p.grade_to
JOIN journal_final_marks() f ON f.group_id = g.id
WHERE p.kind = 'year' AND f.kind = 'year'
  AND (sch IS NULL OR p.school_id = sch) AND (sch IS NULL OR f.school_id = sch);

-- Period marks (not deleted) of the periods in scope and of their previous periods (is_previous),
-- with the class, grade and the course teacher (curriculum, else who entered the mark). A reporting
-- period's marks are its kind 'period' marks; a year period's are its year marks (year_period_marks).
-- Two UNION ALL branches, not an OR join: the first keeps the period-id hash join of before.
CREATE OR REPLACE TEMP MACRO scoped_period_marks(pid, d_from, d_to, sch, gr_from, gr_to, grp, subj, tchr) AS TABLE
WITH teachers AS (
    SELECT c.group_id, c.subject_id, arg_max(c.teacher_id, c.weekly_hours) AS teacher_id
    FROM curriculum c GROUP BY ALL
),
cp AS (
    SELECT cp.base_period_id, cp.is_previous, cp.period_id, p.kind AS period_kind, p.name AS period_name,
           p.start_date, p.end_date
    FROM comparison_periods(pid, d_from, d_to, sch, gr_from, gr_to) cp
    JOIN periods p ON p.id = cp.period_id
),
finals AS (
    SELECT cp.*, f.id AS final_mark_id, f.student_id, f.subject_id, f.group_id, f.value_raw, f.value_num,
           f.value_kind, f.entered_by, f.entered_at, f.entered_at_precision, f.first_seen_at
    FROM cp JOIN journal_final_marks() f ON f.period_id = cp.period_id
    WHERE cp.period_kind <> 'year' AND f.kind = 'period'
    UNION ALL
    SELECT cp.*, f.id, f.student_id, f.subject_id, f.group_id, f.value_raw, f.value_num,
           f.value_kind, f.entered_by, f.entered_at, f.entered_at_precision, f.first_seen_at
    FROM cp JOIN year_period_marks(sch) f ON f.year_period_id = cp.period_id
    WHERE cp.period_kind = 'year'
)
SELECT
    f.final_mark_id, f.base_period_id, f.is_previous, f.period_id, f.period_name,
    f.start_date, f.end_date, f.student_id, f.subject_id, f.group_id,
    coalesce(g.parent_group_id, g.id) AS class_id, g.grade,
    coalesce(t.teacher_id, f.entered_by) AS teacher_id,
    f.value_raw, f.value_num, f.value_kind, f.entered_by, f.entered_at, f.entered_at_precision, f.first_seen_at
FROM finals f
JOIN groups g ON g.id = f.group_id
LEFT JOIN teachers t ON t.group_id = f.group_id AND t.subject_id = f.subject_id
WHERE g.grade BETWEEN gr_from AND gr_to
  AND (grp IS NULL OR g.id = grp OR g.parent_group_id = grp)
  AND (subj IS NULL OR f.subject_id = subj)
  AND (tchr IS NULL OR coalesce(t.teacher_id, f.entered_by) = tchr);

-- The calendar each group follows: its school's week and the holidays, vacations and quarantines that
-- apply to it (by its grade, or to the group itself or its class). Groups with the same week and the
-- same holidays share one calendar (`calendar_id`): a school has a few calendars, not one per group.
CREATE OR REPLACE TEMP MACRO group_calendars(sch, default_week_days) AS TABLE
WITH grp AS (
    SELECT g.id AS group_id, g.parent_group_id, g.school_id, g.grade,
           coalesce(s.school_week_days, default_week_days) AS week_days
    FROM groups g LEFT JOIN schools s ON s.id = g.school_id
    WHERE sch IS NULL OR g.school_id = sch
),
keyed AS (
    SELECT grp.group_id, any_value(grp.week_days) AS week_days,
           coalesce(list_sort(list(h.id) FILTER (WHERE h.id IS NOT NULL)), []) AS holiday_ids
    FROM grp
    LEFT JOIN holidays h ON h.school_id = grp.school_id AND grp.grade BETWEEN h.grade_from AND h.grade_to
                        AND (h.group_id IS NULL OR h.group_id = grp.group_id OR h.group_id = grp.parent_group_id)
    GROUP BY grp.group_id
)
SELECT group_id, week_days, holiday_ids, dense_rank() OVER (ORDER BY week_days, holiday_ids) AS calendar_id
FROM keyed;

-- School days of each calendar (group_calendars): weekdays of its week that are not one of its holidays;
-- `seq` counts school days from d_from, so the school-day distance between two days is the difference
-- of their seq.
CREATE OR REPLACE TEMP MACRO calendar_days(d_from, d_to, sch, default_week_days) AS TABLE
WITH days AS (
    SELECT unnest(generate_series(d_from::TIMESTAMP, d_to::TIMESTAMP, INTERVAL 1 DAY))::DATE AS day
),
cals AS (
    SELECT DISTINCT calendar_id, week_days, holiday_ids FROM group_calendars(sch, default_week_days)
),
off AS (
    SELECT DISTINCT c.calendar_id, days.day
    FROM (SELECT calendar_id, unnest(holiday_ids) AS holiday_id FROM cals) c
    JOIN holidays h ON h.id = c.holiday_id
    JOIN days ON days.day BETWEEN h.start_date AND h.end_date
),
marked AS (
    SELECT cals.calendar_id, days.day,
           isodow(days.day) <= cals.week_days AND off.day IS NULL AS is_school_day
    FROM cals CROSS JOIN days
    LEFT JOIN off ON off.calendar_id = cals.calendar_id AND off.day = days.day
)
SELECT calendar_id, day, is_school_day,
       (sum(is_school_day::INTEGER) OVER (PARTITION BY calendar_id ORDER BY day))::INTEGER AS seq
FROM marked;

-- School days of each group (its calendar's, above), one row per group and day.
CREATE OR REPLACE TEMP MACRO school_calendar(d_from, d_to, sch, default_week_days) AS TABLE
SELECT g.group_id, c.day, c.is_school_day, c.seq
FROM group_calendars(sch, default_week_days) g
JOIN calendar_days(d_from, d_to, sch, default_week_days) c USING (calendar_id);

-- Students on the roll of each class of an academic year on its last day (or on as_of, if earlier):
-- the rows of the year's сводная ведомость and of its results (regulation 2.15, 3.2).
CREATE OR REPLACE TEMP MACRO year_roster(year_id, as_of, grp) AS TABLE
SELECT DISTINCT g.id AS class_id, m.student_id
FROM academic_years y
JOIN groups g ON g.academic_year_id = y.id AND g.kind = 'class'
JOIN memberships m ON m.group_id = g.id
 AND m.valid_from <= least(y.end_date, as_of)
 AND (m.valid_to IS NULL OR m.valid_to >= least(y.end_date, as_of))
WHERE y.id = year_id AND (grp IS NULL OR g.id = grp);

-- The results formulas (regulation 2.15; domain-notes §4.1), one definition for every results table
-- (results_summary of the period marks, year_results of the year marks). N, the denominator, counts
-- grade marks and «н/а»; «осв» and pass/fail marks are outside it. results_n is an aggregate.
CREATE OR REPLACE TEMP MACRO results_n(kind) AS count(*) FILTER (WHERE kind IN ('grade', 'not_attested'));
CREATE OR REPLACE TEMP MACRO success_pct(n5, n4, n3, n) AS round(100.0 * (n5 + n4 + n3) / nullif(n, 0), 1);
CREATE OR REPLACE TEMP MACRO quality_pct(n5, n4, n) AS round(100.0 * (n5 + n4) / nullif(n, 0), 1);
-- СОУ: Σ points · n / N with the school's [sou] points for «5», «4», «3», «2», «1» and «н/а». n2 counts
-- every unsatisfactory mark (the «2» column of the documents), n1 the «1» among them, which score their own.
CREATE OR REPLACE TEMP MACRO sou_pct(n5, n4, n3, n2, n1, n_na, n, p5, p4, p3, p2, p1, p_na) AS
    round((p5 * n5 + p4 * n4 + p3 * n3 + p2 * (n2 - n1) + p1 * n1 + p_na * n_na) / nullif(n, 0), 1);

-- Timeliness of entries (regulation 2.5–2.8; annex 3 p.3), one definition for every timeliness table
-- (timeliness_summary, the deck's mark_timeliness_by, the documents' timeliness_overview). An aggregate
-- over entries with `lag` = calendar days from the lesson to the entry (NULL when unknown) and `in_time` =
-- within the item's deadline; a share is of the entries whose lag is known. It returns one struct:
-- `unnest(entry_timeliness(lag, in_time))` in a SELECT list gives its six columns. An entry made before
-- its lesson day counts as on the day only where early is in time (homework posted ahead, a topic
-- planned ahead); a mark entered before its lesson is not «on the lesson day» (mark_entered_before_lesson).
CREATE OR REPLACE TEMP MACRO entry_timeliness(lag, in_time) AS struct_pack(
    on_lesson_day := count(*) FILTER (WHERE lag <= 0 AND (lag >= 0 OR in_time)),
    within_day := count(*) FILTER (WHERE lag <= 1 AND (lag >= 0 OR in_time)),
    within_deadline := count(*) FILTER (WHERE in_time),
    share_on_lesson_day := count(*) FILTER (WHERE lag <= 0 AND (lag >= 0 OR in_time)) / nullif(count(lag), 0),
    share_within_day := count(*) FILTER (WHERE lag <= 1 AND (lag >= 0 OR in_time)) / nullif(count(lag), 0),
    share_within_deadline := count(*) FILTER (WHERE in_time) / nullif(count(lag), 0));
