-- Journal entries made by an account at or after the moment its compromise was reported: invalid under
-- regulation 4.4 (made_after_report of _setup.sql), so every other metric leaves them out (it reads the
-- facts through the journal_* macros); here they are listed, from the tables themselves, for the
-- administration. One row per entry; `kind` says what it is: отметка, тема (the lesson's topic),
-- посещаемость (the lesson's roll call, student_id empty, or one student's attendance record),
-- домашнее задание, итоговая отметка (a period mark, or a year/exam mark when the scope holds the
-- year's last day). entry_id is the entry's row (for a topic or a roll call, the lesson); mark_id is
-- kept for marks; teacher_id is the compromised account; text is the topic or homework as written.
WITH reports AS (SELECT * FROM compromise_reports()),
-- each kind's entries by a reported account, judged where they are read (a handful of accounts: cheap)
lesson_entries AS (
    SELECT 'тема' AS kind, x.id AS entry_id, NULL AS student_id, x.id AS lesson_id, NULL AS value_raw,
           x.topic AS text, r.person_id AS account, x.topic_entered_at AS entered_at,
           x.topic_entered_at_precision AS entered_at_precision, r.reported_at
    FROM lessons x JOIN reports r ON r.person_id = x.entered_by
    WHERE x.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR x.school_id = $school_id)
      AND made_after_report(x.topic_entered_at, x.topic_entered_at_precision, r.reported_at)
    UNION ALL
    SELECT 'посещаемость', x.id, NULL, x.id, NULL, NULL, r.person_id, x.attendance_taken_at,
           x.attendance_taken_at_precision, r.reported_at
    FROM lessons x JOIN reports r ON r.person_id = x.entered_by
    WHERE x.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR x.school_id = $school_id)
      AND made_after_report(x.attendance_taken_at, x.attendance_taken_at_precision, r.reported_at)
    UNION ALL
    SELECT 'отметка', m.id, m.student_id, m.lesson_id, m.value_raw, NULL, r.person_id, m.entered_at,
           m.entered_at_precision, r.reported_at
    FROM marks m JOIN reports r ON r.person_id = m.entered_by
    WHERE m.deleted_at IS NULL AND m.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR m.school_id = $school_id)
      AND made_after_report(m.entered_at, m.entered_at_precision, r.reported_at)
    UNION ALL
    SELECT 'посещаемость', a.id, a.student_id, a.lesson_id, a.raw_code, NULL, r.person_id, a.recorded_at,
           a.recorded_at_precision, r.reported_at
    FROM attendance a JOIN reports r ON r.person_id = a.recorded_by
    WHERE a.deleted_at IS NULL AND a.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR a.school_id = $school_id)
      AND made_after_report(a.recorded_at, a.recorded_at_precision, r.reported_at)
    UNION ALL
    SELECT 'домашнее задание', h.id, NULL, h.lesson_id, NULL, h.text, r.person_id, h.entered_at,
           h.entered_at_precision, r.reported_at
    FROM homework h JOIN reports r ON r.person_id = h.entered_by
    WHERE h.deleted_at IS NULL AND h.lesson_date BETWEEN $date_from AND $date_to AND ($school_id IS NULL OR h.school_id = $school_id)
      AND made_after_report(h.entered_at, h.entered_at_precision, r.reported_at)
),
course_teachers AS (
    SELECT c.group_id, c.subject_id, arg_max(c.teacher_id, c.weekly_hours) AS teacher_id
    FROM curriculum c GROUP BY ALL
),
final_entries AS (
    SELECT 'итоговая отметка' AS kind, f.id AS entry_id, f.student_id, f.school_id, f.group_id,
           coalesce(g.parent_group_id, g.id) AS class_id, f.subject_id, f.period_id,
           coalesce(p.end_date, y.end_date) AS event_date, f.value_raw, r.person_id AS account, f.entered_at,
           f.entered_at_precision, r.reported_at
    FROM final_marks f
    JOIN reports r ON r.person_id = f.entered_by
    JOIN groups g ON g.id = f.group_id
    JOIN academic_years y ON y.id = g.academic_year_id
    LEFT JOIN periods p ON p.id = f.period_id
    LEFT JOIN course_teachers t ON t.group_id = f.group_id AND t.subject_id = f.subject_id
    WHERE f.deleted_at IS NULL AND made_after_report(f.entered_at, f.entered_at_precision, r.reported_at)
      AND CASE WHEN f.kind = 'period'
               THEN f.period_id IN (SELECT id FROM scoped_periods($period_id, $date_from, $date_to, $school_id,
                                                                  $grade_from, $grade_to))
               ELSE y.end_date BETWEEN $date_from AND $date_to END
      AND ($school_id IS NULL OR f.school_id = $school_id)
      AND g.grade BETWEEN $grade_from AND $grade_to
      AND ($group_id IS NULL OR g.id = $group_id OR g.parent_group_id = $group_id)
      AND ($subject_id IS NULL OR f.subject_id = $subject_id)
      AND ($teacher_id IS NULL OR coalesce(t.teacher_id, f.entered_by) = $teacher_id)
),
entries AS (
    SELECT e.kind, e.entry_id, e.student_id, l.school_id, l.group_id, l.class_id, l.subject_id,
           NULL AS period_id, l.lesson_id, l.lesson_date AS event_date, e.value_raw, e.text, e.account,
           e.entered_at, e.entered_at_precision, e.reported_at
    FROM lesson_entries e JOIN scope_lessons l ON l.lesson_id = e.lesson_id
    UNION ALL
    SELECT kind, entry_id, student_id, school_id, group_id, class_id, subject_id, period_id, NULL, event_date,
           value_raw, NULL, account, entered_at, entered_at_precision, reported_at
    FROM final_entries
)
SELECT kind, entry_id, CASE WHEN kind = 'отметка' THEN entry_id END AS mark_id, account AS teacher_id,
       student_id, school_id, lesson_id, group_id, class_id, subject_id, period_id, event_date, value_raw, text,
       entered_at, entered_at_precision, reported_at
FROM entries
ORDER BY event_date, group_id, lesson_id, kind, student_id NULLS FIRST, entry_id;
