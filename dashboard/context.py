"""The sidebar filters and the view they select, kept in the URL so a link reproduces the view.

The filters build a `queries.Scope`; every page reads the same `Context` from the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

import queries
from dashboard import auth, data, fmt
from queries.access import Access
from queries.deck import Lookups

CUSTOM = "dates"  # the period option that means "my own date range"
LEVEL_TITLES = {"1-4": "1–4 классы", "5-9": "5–9 классы", "10-11": "10–11 классы"}
# URL parameter ↔ widget key.
PARAMS = {"school": "f_school", "year": "f_year", "period": "f_period", "level": "f_level", "grade": "f_grade",
          "class": "f_class", "subject": "f_subject", "teacher": "f_teacher", "from": "f_from", "to": "f_to"}


@dataclass(frozen=True)
class Context:
    ver: data.Version
    lk: Lookups
    scope: queries.Scope | None  # None: an IT administrator's context (no student data, no filters)
    title: str  # «2 семестр 2025/2026 · 5–9 классы», for headings
    access: Access


def _pick(key: str, options: list, label: str, fmt_fn=None) -> object:
    """A selectbox whose state is reset to the first option when its options no longer contain it."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return st.sidebar.selectbox(label, options, key=key, format_func=fmt_fn or str)


def _from_url() -> None:
    """Once per session: the URL's filter values become the widgets' starting state."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    qp = st.query_params
    for param, key in PARAMS.items():
        if param not in qp:
            continue
        raw = qp[param]
        try:
            if param == "grade":
                st.session_state[key] = int(raw)
            elif param in ("from", "to"):
                st.session_state[key] = dt.date.fromisoformat(raw)
            else:
                st.session_state[key] = raw
        except ValueError:
            continue  # a hand-edited link with a bad value: keep the default


def _to_url(values: dict[str, object]) -> None:
    wanted = {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in values.items() if v is not None}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def _default_period(periods: pl.DataFrame, grades: list[int]) -> str:
    """The latest semester or half-year that has ended (else the first one): what a council discusses.
    Only periods of the grades the user sees count, so a class teacher of 10А starts on the half-year
    of 10–11, not on an empty semester of 2–9."""
    parts = periods.filter(pl.col("kind") != "year")
    if grades:
        theirs = parts.filter((pl.col("grade_from") <= max(grades)) & (pl.col("grade_to") >= min(grades)))
        parts = theirs if theirs.height else parts
    ended = parts.filter(pl.col("end_date") < dt.date.today())  # its last day is still in it (periods_not_ended)
    if ended.height:
        return ended.sort(["end_date", "grade_from"], descending=[True, False]).item(0, "id")
    return (parts if parts.height else periods).item(0, "id")


def sidebar(ver: data.Version, access: Access) -> Context:
    """Draw the filters (offering only what `access` may see); return the chosen scope."""
    lk = data.lookups(ver, access)
    if lk.schools.is_empty():
        st.sidebar.info("Вашей учётной записи не открыт ни один класс этого хранилища.")
        return Context(ver=ver, lk=lk, scope=None, title="", access=access)
    _from_url()
    st.sidebar.header("Фильтры")
    schools = dict(zip(lk.schools["id"], lk.schools["name"], strict=True))
    school = _pick("f_school", list(schools), "Школа", schools.get)
    years_df = lk.years.filter(pl.col("school_id") == school)
    years = dict(zip(years_df["id"], years_df["name"], strict=True))
    year = _pick("f_year", list(years), "Учебный год", years.get)
    periods = lk.periods.filter(pl.col("academic_year_id") == year)
    labels = {r["id"]: f"{r['name']} ({r['grade_from']}–{r['grade_to']} кл.)" for r in periods.iter_rows(named=True)}
    labels[CUSTOM] = "Свои даты"
    if st.session_state.get("f_period") not in labels:  # first run, or a link naming no period of this year
        year_classes = lk.groups.filter((pl.col("academic_year_id") == year) & (pl.col("kind") == "class"))
        st.session_state["f_period"] = _default_period(periods, year_classes["grade"].to_list())
    period = _pick("f_period", list(labels), "Период", labels.get)
    if period == CUSTOM:
        y = years_df.filter(pl.col("id") == year).row(0, named=True)
        band = (1, 11)
        for key, default in (("f_from", y["start_date"]), ("f_to", y["end_date"])):
            if not isinstance(st.session_state.get(key), dt.date):
                st.session_state[key] = default
        d_from = st.sidebar.date_input("С", key="f_from", format="DD.MM.YYYY")
        d_to = st.sidebar.date_input("По", key="f_to", format="DD.MM.YYYY")
    else:
        p = periods.filter(pl.col("id") == period).row(0, named=True)
        band = (p["grade_from"], p["grade_to"])
        d_from = d_to = None
    levels = [None] + [k for k, (lo, hi) in queries.LEVELS.items() if lo <= band[1] and hi >= band[0]]
    level = _pick("f_level", levels, "Уровень", lambda v: "Все уровни" if v is None else LEVEL_TITLES[v])
    lo, hi = band
    if level is not None:
        lo, hi = max(lo, queries.LEVELS[level][0]), min(hi, queries.LEVELS[level][1])
    classes = lk.groups.filter((pl.col("academic_year_id") == year) & (pl.col("kind") == "class")
                               & pl.col("grade").is_between(lo, hi))
    grade = _pick("f_grade", [None, *sorted(set(classes["grade"]))], "Параллель",
                  lambda v: "Все параллели" if v is None else f"{v} классы")
    if grade is not None:
        classes = classes.filter(pl.col("grade") == grade)
    class_names = dict(zip(classes["id"], classes["name"], strict=True))
    group = _pick("f_class", [None, *class_names], "Класс", lambda v: "Все классы" if v is None else class_names[v])
    subjects_df = lk.subjects.filter(pl.col("school_id") == school)
    subjects = dict(zip(subjects_df["id"], subjects_df["name"], strict=True))
    subject = _pick("f_subject", [None, *subjects], "Предмет", lambda v: "Все предметы" if v is None else subjects[v])
    teachers_df = lk.people.filter((pl.col("school_id") == school) & (pl.col("role") == "teacher"))
    teachers = dict(zip(teachers_df["id"], teachers_df["short_name"], strict=True))
    teacher = _pick("f_teacher", [None, *teachers], "Учитель", lambda v: "Все учителя" if v is None else teachers[v])
    _to_url({"school": school, "year": year, "period": period, "level": level, "grade": grade, "class": group,
             "subject": subject, "teacher": teacher, "from": d_from, "to": d_to})
    scope = queries.Scope(
        period_id=None if period == CUSTOM else period, date_from=d_from, date_to=d_to,
        school_id=school, level=level, grade=grade, group_id=group, subject_id=subject, teacher_id=teacher)
    when = f"{fmt.date(d_from)} – {fmt.date(d_to)}" if period == CUSTOM else f"{labels[period]}, {years[year]}"
    # a class or subject teacher's «Все классы» are their own classes: the heading names them
    own = ", ".join(class_names.values()) if group is None and access.by_units else ""
    parts = [when] + [t for t in (LEVEL_TITLES.get(level or ""), class_names.get(group or "") or own,
                                  subjects.get(subject or ""), teachers.get(teacher or "")) if t]
    return Context(ver=ver, lk=lk, scope=scope, title=" · ".join(parts), access=access)


def _empty_lookups() -> Lookups:
    named = {"id": pl.String, "name": pl.String}
    return Lookups(schools=pl.DataFrame(schema=named), years=pl.DataFrame(schema=named),
                   periods=pl.DataFrame(schema=named), groups=pl.DataFrame(schema=named),
                   subjects=pl.DataFrame(schema=named),
                   people=pl.DataFrame(schema={"id": pl.String, "role": pl.String, "short_name": pl.String}))


def admin_context(ver: data.Version, access: Access) -> Context:
    """An IT administrator's context: no filters and no names (they see loads, not student data)."""
    return Context(ver=ver, lk=_empty_lookups(), scope=None, title="", access=access)


def audit_view(page: str) -> None:
    """Record a page view with its filters once per change of page or filters (not on every rerun)."""
    ctx: Context | None = st.session_state.get("_ctx")
    filters = {k: v for k, v in dict(st.query_params).items()}
    seen = (page, tuple(sorted(filters.items())))
    if st.session_state.get("_audited_view") == seen:
        return
    st.session_state["_audited_view"] = seen
    auth.record("page_view", page=page, filters=filters, title=ctx.title if ctx else "")


def current() -> Context:
    """The context the entrypoint built in this run; stops the page with a plain message when there is
    no warehouse yet, the filters contradict each other, or they select no lesson of the journal."""
    ctx: Context | None = st.session_state.get("_ctx")
    if ctx is None:
        st.info(f"Хранилище {data.db_path()} пока пусто. Загрузите пакет данных на странице «Данные» "
                "или командой `zavuch load` / `zavuch demo`.")
        st.page_link("views/warehouse.py", label="Перейти к загрузке данных", icon=":material/database:")
        st.stop()
    if ctx.scope is None:
        st.info("Для вашей учётной записи здесь нет данных.")
        st.stop()
    problem = data.scope_problem(ctx.ver, ctx.scope, ctx.access)
    if problem:
        st.warning(f"{problem}. Измените фильтры слева.")
        st.stop()
    if not data.scope_lessons(ctx.ver, ctx.scope, ctx.access).lessons:
        st.warning(f"В журнале нет ни одного урока в выбранном срезе ({fmt.inert(ctx.title)}): проверять нечего, "
                   "и пустые списки здесь не означали бы, что нарушений нет. Измените даты или фильтры слева.")
        st.stop()
    return ctx
