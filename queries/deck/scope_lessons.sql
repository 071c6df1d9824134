-- How many lessons the filters select: any, held, and held in the grades that keep marks
-- (control.min_grade and up). A scope with none has nothing to check (its empty lists would read as «no
-- violations»); one with held lessons but none with marks (grade 1 only) has its topics, roll calls and
-- homework checked, but no check of marks.
SELECT count(*) AS lessons,
       count(*) FILTER (WHERE l.status = 'held') AS lessons_held,
       count(*) FILTER (WHERE l.status = 'held' AND l.grade >= $min_grade) AS lessons_with_marks
FROM scoped_lessons($date_from, $date_to, $school_id, $grade_from, $grade_to, $group_id, $subject_id, $teacher_id) l;
