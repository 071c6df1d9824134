-- Row-level access: TEMP views that shadow the warehouse tables on a restricted connection
-- (queries/access.py). DuckDB resolves an unqualified name in the temp catalog first, so every metric,
-- base and helper reads these. {db} is the warehouse catalog (from current_database()); the user's
-- schools, (class, subject) units and pseudonyms are in the temp tables access_schools, access_units,
-- access_flags and access_pseudonyms, filled with bound parameters.

CREATE OR REPLACE TEMP VIEW schools AS
SELECT * FROM {db}.main.schools
WHERE (SELECT all_schools FROM access_flags) OR id IN (SELECT school_id FROM access_schools);

CREATE OR REPLACE TEMP VIEW academic_years AS
SELECT * FROM {db}.main.academic_years WHERE school_id IN (SELECT id FROM schools);

CREATE OR REPLACE TEMP VIEW periods AS
SELECT * FROM {db}.main.periods WHERE school_id IN (SELECT id FROM schools);

CREATE OR REPLACE TEMP VIEW holidays AS
SELECT * FROM {db}.main.holidays WHERE school_id IN (SELECT id FROM schools);

CREATE OR REPLACE TEMP VIEW subjects AS
SELECT * FROM {db}.main.subjects WHERE school_id IN (SELECT id FROM schools);

CREATE OR REPLACE TEMP VIEW work_types AS
SELECT * FROM {db}.main.work_types WHERE school_id IN (SELECT id FROM schools);

-- A unit is a class (with its subgroups) or one subgroup: a class teacher's class, a subject teacher's
-- classes and subgroups.
CREATE OR REPLACE TEMP VIEW groups AS
SELECT g.* FROM {db}.main.groups g
WHERE g.school_id IN (SELECT id FROM schools)
  AND (NOT (SELECT by_units FROM access_flags)
       OR g.id IN (SELECT group_id FROM access_units) OR g.parent_group_id IN (SELECT group_id FROM access_units));

-- (group, subject) pairs visible: subject NULL in access_units = every subject of the group.
CREATE OR REPLACE TEMP VIEW access_group_subjects AS
SELECT g.id AS group_id, u.subject_id
FROM groups g JOIN access_units u ON u.group_id = g.id OR u.group_id = g.parent_group_id;

-- Call it with qualified columns (t.group_id): an unqualified name inside the macro's subquery would bind
-- to access_group_subjects' own column.
CREATE OR REPLACE TEMP MACRO access_visible(grp, subj) AS
    NOT (SELECT by_units FROM access_flags)
    OR EXISTS (SELECT 1 FROM access_group_subjects a
               WHERE a.group_id = grp AND (a.subject_id IS NULL OR a.subject_id = subj));

-- A class teacher's pupils: the members of their classes. A subgroup hung on the class may also hold
-- pupils of a parallel class (one English group for 5А and 5Б); those are another class teacher's, so the
-- student rows below (memberships, people, marks, absences, period marks) leave them out. A subject
-- teacher teaches everyone in their groups and sees them all.
CREATE OR REPLACE TEMP VIEW access_own_pupils AS
SELECT DISTINCT m.student_id FROM {db}.main.memberships m JOIN access_units u ON u.group_id = m.group_id;

CREATE OR REPLACE TEMP MACRO access_pupil(student) AS
    NOT (SELECT own_pupils FROM access_flags) OR student IN (SELECT student_id FROM access_own_pupils);

CREATE OR REPLACE TEMP VIEW memberships AS
SELECT t.* FROM {db}.main.memberships t WHERE group_id IN (SELECT id FROM groups) AND access_pupil(t.student_id);

-- Students only of the visible groups; teachers and staff of the visible schools. Pseudonymised:
-- a student's name is a stable pseudonym and the other personal fields are empty.
CREATE OR REPLACE TEMP VIEW people AS
SELECT p.id, p.school_id, p.role,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN coalesce(ps.pseudonym, 'Ученик') ELSE p.last_name END
           AS last_name,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN '' ELSE p.first_name END AS first_name,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN NULL ELSE p.middle_name END AS middle_name,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN NULL ELSE p.sex END AS sex,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN NULL ELSE p.birth_date END AS birth_date,
       p.position, p.source_system,
       CASE WHEN f.pseudonymise AND p.role = 'student' THEN NULL ELSE p.source_id END AS source_id,
       p.batch_id
FROM {db}.main.people p
CROSS JOIN access_flags f
LEFT JOIN access_pseudonyms ps ON ps.id = p.id
WHERE p.school_id IN (SELECT id FROM schools)
  AND (p.role <> 'student' OR NOT f.by_units OR p.id IN (SELECT student_id FROM memberships));

CREATE OR REPLACE TEMP VIEW curriculum AS
SELECT t.* FROM {db}.main.curriculum t WHERE group_id IN (SELECT id FROM groups) AND access_visible(t.group_id, t.subject_id);

CREATE OR REPLACE TEMP VIEW plan_lessons AS
SELECT t.* FROM {db}.main.plan_lessons t WHERE group_id IN (SELECT id FROM groups) AND access_visible(t.group_id, t.subject_id);

CREATE OR REPLACE TEMP VIEW lessons AS
SELECT t.* FROM {db}.main.lessons t
WHERE school_id IN (SELECT id FROM schools) AND group_id IN (SELECT id FROM groups)
  AND access_visible(t.group_id, t.subject_id);

CREATE OR REPLACE TEMP VIEW marks AS
SELECT t.* FROM {db}.main.marks t
WHERE school_id IN (SELECT id FROM schools) AND group_id IN (SELECT id FROM groups)
  AND access_visible(t.group_id, t.subject_id)
  AND access_pupil(t.student_id);

CREATE OR REPLACE TEMP VIEW mark_events AS
SELECT * FROM {db}.main.mark_events WHERE mark_id IN (SELECT id FROM marks);

CREATE OR REPLACE TEMP VIEW final_marks AS
SELECT t.* FROM {db}.main.final_marks t
WHERE school_id IN (SELECT id FROM schools) AND group_id IN (SELECT id FROM groups)
  AND access_visible(t.group_id, t.subject_id)
  AND access_pupil(t.student_id);

CREATE OR REPLACE TEMP VIEW attendance AS
SELECT t.* FROM {db}.main.attendance t
WHERE school_id IN (SELECT id FROM schools) AND group_id IN (SELECT id FROM groups)
  AND access_visible(t.group_id, t.subject_id)
  AND access_pupil(t.student_id);

CREATE OR REPLACE TEMP VIEW homework AS
SELECT t.* FROM {db}.main.homework t
WHERE school_id IN (SELECT id FROM schools) AND group_id IN (SELECT id FROM groups)
  AND access_visible(t.group_id, t.subject_id);

CREATE OR REPLACE TEMP VIEW account_incidents AS
SELECT * FROM {db}.main.account_incidents WHERE person_id IN (SELECT id FROM people);

-- Rejected rows carry raw file values of any school: not shown to a restricted user.
CREATE OR REPLACE TEMP VIEW rejected_rows AS
SELECT * FROM {db}.main.rejected_rows WHERE false;

-- Students per group (class or subgroup) the access sees: the size behind a breakdown row
-- (queries.access.small_groups_kept).
CREATE OR REPLACE TEMP VIEW access_group_sizes AS
SELECT group_id, count(DISTINCT student_id) AS size FROM memberships GROUP BY group_id;
