-- How many lessons the filters select: any, held, and held in the journal-checked grades. A scope with
-- none has nothing to check (its empty lists would read as «no violations»); one with held lessons
-- but none checked (grade 1 only) has no filling, timeliness or mark checks at all.
SELECT count(*) AS lessons,
       count(*) FILTER (WHERE l.status = 'held') AS lessons_held,
       count(*) FILTER (WHERE l.status = 'held' AND l.grade >= $min_grade) AS lessons_checked
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id) l;
