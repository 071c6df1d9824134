"""Per-student forecasts of the period mark at day D and class forecasts of успеваемость and качество.

For each period around D: features at D (features.sql), the rule baseline (rule.py), and a learned model
trained on the school's finished periods of the same kind at the same point of the period (model.py);
where those are too short (a school's first period) the rule stands alone and `method` says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import polars as pl

from etl.norms import load_norms
from etl.rounding import half_up_column
from queries.access import FULL, Access, connection, guard
from queries.forecast import explain, features as feat
from queries.forecast.model import Forecaster, design, train
from queries.forecast.protocol import AT_RISK, AT_RISK_PROBABILITY, MARKS
from queries.forecast.rule import next_mark_needs, rule_probabilities
from queries.scope import Scope

PROB_COLUMNS: tuple[str, ...] = ("p_2", "p_3", "p_4", "p_5", "p_na")


def elapsed_share(period: dict[str, Any], as_of: dt.date) -> float:
    """Share of the period's calendar days up to and including D."""
    days = (period["end_date"] - period["start_date"]).days + 1
    return min(1.0, max(0.0, ((as_of - period["start_date"]).days + 1) / days))


def training_set(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
                 params: dict[str, Any], norms: dict[str, Any]) -> tuple[np.ndarray, list[str | None]]:
    """Earlier periods' features at the same share of the period as D, with their period marks."""
    share = elapsed_share(period, as_of)
    xs, labels = [], []
    for past in feat.earlier_periods(con, period["period_id"], as_of).iter_rows(named=True):
        day = feat.day_at_share(past["start_date"], past["end_date"], share)
        f = feat.period_features(con, past, day, feat.school_wide(params, period["school_id"]), norms)
        if f.is_empty():
            continue
        xs.append(design(f, rule_probabilities(f, norms)))
        labels.extend(f["actual_mark"].to_list())
    return (np.vstack(xs) if xs else np.empty((0, 0))), labels


def forecast_period(con: duckdb.DuckDBPyConnection, period: dict[str, Any], as_of: dt.date,
                    params: dict[str, Any], norms: dict[str, Any], method: str = "auto",
                    view: duckdb.DuckDBPyConnection | None = None,
                    ) -> tuple[pl.DataFrame, np.ndarray, np.ndarray, Forecaster | None]:
    """Features of one period at D with rule and final probabilities (model where trained, else rule), for the
    rows of `params` that `view` (default `con`) shows. Computed over the period's whole school on `con`: the
    rule's spread of marks, the course's marking pace and the model are the school's, so a pupil's forecast
    is the same under any filter and for any role (a class teacher's rows alone once trained a model of
    their own, and the page told them «3», risk 2 %, where the letter warned of «2» at 54 %)."""
    f = feat.period_features(con, period, as_of, feat.school_wide(params, period["school_id"]), norms)
    rule = rule_probabilities(f, norms) if not f.is_empty() else np.zeros((0, len(MARKS)))
    model = None
    if method != "rule" and not f.is_empty():
        x_train, labels = training_set(con, period, as_of, params, norms)
        model = train(x_train, labels) if len(labels) else None
    final = model.predict(design(f, rule)) if model is not None else rule
    # a pupil without a counted mark gives the model none of his own to go on (its mark inputs are imputed:
    # a typical pupil's «4»); his forecast is the rule's, which says so (forecast_mark, student_forecasts)
    final = np.where((f["n_marks"] == 0).to_numpy()[:, None], rule, final) if len(f) else final
    keys = ["period_id", "group_id", "subject_id", "student_id"]
    wanted = feat.scope_enrolments(view if view is not None else con, period, as_of, params)
    kept = f.select(keys).with_row_index("_row").join(wanted, on=keys, how="semi")["_row"].to_numpy()
    return f[kept], rule[kept], final[kept], model


def _with_probabilities(f: pl.DataFrame, probs: np.ndarray, prefix: str = "") -> pl.DataFrame:
    cols = {f"{prefix}{name}": probs[:, i] for i, name in enumerate(PROB_COLUMNS)}
    likely = [MARKS[i] for i in probs.argmax(axis=1)] if len(probs) else []
    risk_idx = [MARKS.index(m) for m in AT_RISK]
    return f.with_columns(
        *[pl.Series(k, v) for k, v in cols.items()],
        pl.Series(f"{prefix}forecast_mark", likely, dtype=pl.String),
        pl.Series(f"{prefix}risk", probs[:, risk_idx].sum(axis=1) if len(probs) else [], dtype=pl.Float64),
    )


def _names(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    rows = feat._run(con, "names", {}).iter_rows()
    return {(kind, id_): name for kind, id_, name in rows}


def student_forecasts(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: dt.date,
                      norms: dict[str, Any] | None = None, method: str = "auto",
                      with_outcome: bool = False, access: Access = FULL) -> pl.DataFrame:
    """One row per student × subject × period around D (or scope.period_id): current figures, the
    probabilities p_2…p_na, forecast_mark, risk (P of «2» or «н/а»), the rule's forecast next to it,
    reasons and marks needed. `method`: "auto" (model where history allows, else rule) or "rule".
    `with_outcome` keeps the period mark actually set (backtests only: it is from after D).
    The rows, names and scope are `access`'s (queries.access); the forecast itself is computed from the
    school's journal on `con` (`forecast_period`), so pass the unrestricted connection with the access."""
    norms = norms if norms is not None else load_norms()
    view = connection(con, access)
    params = feat.scope_params(view, scope, as_of)
    frames = []
    for period in feat.periods_at(view, params).iter_rows(named=True):
        f, rule, final, model = forecast_period(con, period, as_of, params, norms, method, view)
        if f.is_empty():
            continue
        f = _with_probabilities(f, rule, "rule_").with_columns(
            # the rule's forecast is its point rule (rounded average, «н/а» rule), not the likeliest bin:
            # an average exactly on a threshold rounds up although the two bins are then equally likely;
            # without a counted mark and without a ground for «н/а» there is no mark to forecast (None: «нет
            # отметок» in the reasons), not the likeliest bin of the school's spread of marks
            rule_forecast_mark=pl.when(pl.col("rule_na")).then(pl.lit("н/а"))
            .when(pl.col("rule_grade").is_not_null()).then(pl.col("rule_grade").cast(pl.String))
            .when(pl.col("n_marks") > 0).then(pl.col("rule_forecast_mark")))
        f = _with_probabilities(f, final).with_columns(
            pl.lit("model" if model is not None else "rule").alias("method"),
            pl.lit(model.training_rows if model is not None else 0).alias("training_rows"))
        # the rule forecasts its point rule: an average of 2,50 is a «3» by the school's rounding, though its
        # likeliest bin is «2» by a hair (P(«2») = 0,5, the rest spread over «3» … «5»); and it stands for
        # every pupil without a counted mark, whatever the method (forecast_period)
        f = f.with_columns(forecast_mark=pl.col("rule_forecast_mark") if model is None else
                           pl.when(pl.col("n_marks") == 0).then(pl.col("rule_forecast_mark"))
                           .otherwise(pl.col("forecast_mark")))
        frames.append(f)
    if not frames:
        return pl.DataFrame()
    # rounded half up once, here, so the reasons and every table, file and letter state the same figures
    out = pl.concat(frames, how="vertical_relaxed").with_columns(
        half_up_column(pl.col("avg_mark"), 2), half_up_column(pl.col("weighted_avg"), 2),
        half_up_column(pl.col("absence_share"), 3))
    names = _names(view)
    needs = [next_mark_needs(s, w, norms) for s, w in out.select("weighted_sum", "weight_sum").iter_rows()]
    lessons_left = (out["lessons_planned"] - out["lessons_so_far"]).to_list()
    out = out.with_columns(
        pl.Series("student_name", [names.get(("student", s), s) for s in out["student_id"]]),
        pl.Series("class_name", [names.get(("group", c), c) for c in out["class_id"]]),
        pl.Series("group_name", [names.get(("group", g), g) for g in out["group_id"]]),
        pl.Series("subject_name", [names.get(("subject", s), s) for s in out["subject_id"]]),
        pl.Series("teacher_name", [names.get(("teacher", t), t) if t else None for t in out["teacher_id"]],
                  dtype=pl.String),
        pl.Series("reasons", [explain.reasons(r, norms) for r in out.iter_rows(named=True)]),
        pl.Series("next_mark", [n[0] for n in needs], dtype=pl.Int64),
        pl.Series("fives_needed", [n[1] if n[0] else None for n in needs], dtype=pl.Int64),
        pl.Series("fours_needed", [n[2] if n[0] else None for n in needs], dtype=pl.Int64),
        pl.Series("needs", [explain.needs(*n, left) for n, left in zip(needs, lessons_left, strict=True)]),
        pl.lit(as_of).alias("as_of"),
    )
    columns = [
        "as_of", "period_id", "school_id", "class_id", "class_name", "group_id", "group_name", "grade",
        "subject_id", "subject_name", "teacher_id", "teacher_name", "student_id", "student_name",
        "n_marks", "avg_mark", "weighted_avg", "control_works", "missed_control_works", "lessons_so_far",
        "lessons_planned", "lessons_missed", "absence_share", "previous_mark", "min_marks", "projected_marks",
        "few_marks", "own_few_marks", "teacher_pace_short",
        *PROB_COLUMNS, "forecast_mark", "risk", "rule_forecast_mark", "rule_risk", "method", "training_rows",
        "reasons", "next_mark", "fives_needed", "fours_needed", "needs",
    ]
    if with_outcome:
        columns.append("actual_mark")
    # the probabilities stay exact: each is rounded once where it is shown (the letter's and the deck's whole
    # percent, etl.rounding); rounded here to 0,001 first, a risk of 0,52494 read «53 %» instead of «52 %»
    return guard(out.select(columns), view).with_columns(
        half_up_column(pl.col("projected_marks"), 1), pl.col("min_marks").cast(pl.Int64))


def student_exemptions(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: dt.date,
                       norms: dict[str, Any] | None = None, access: Access = FULL) -> pl.DataFrame:
    """The rows `student_forecasts` leaves out: one per pupil × subject × period around D (or scope.period_id)
    of a pupil exempt from the subject as far as the journal shows at D, with how it shows (`previous_exempt`:
    «осв» for the previous period and no mark since; else «ОСВ» on all `lessons_exempt` lessons held), so the
    letter to parents says so instead of leaving the subject out. Rows and names are `access`'s, as there."""
    norms = norms if norms is not None else load_norms()
    view = connection(con, access)
    params = feat.scope_params(view, scope, as_of)
    keys = ["period_id", "group_id", "subject_id", "student_id"]
    frames = [feat.period_exemptions(con, period, as_of, params, norms)
              .join(feat.scope_enrolments(view, period, as_of, params), on=keys, how="semi")
              for period in feat.periods_at(view, params).iter_rows(named=True)]
    columns = ["period_id", "school_id", "class_id", "group_id", "subject_id", "subject_name", "teacher_id",
               "student_id", "previous_exempt", "lessons_exempt", "lessons_so_far"]
    out = pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame()
    if out.is_empty():
        return pl.DataFrame()
    names = _names(view)
    out = out.with_columns(pl.Series("subject_name", [names.get(("subject", s), s) for s in out["subject_id"]]))
    return guard(out.select(columns), view)


def class_forecasts(forecasts: pl.DataFrame, by: tuple[str, ...] = ("period_id", "class_id", "class_name"),
                    ) -> pl.DataFrame:
    """Expected успеваемость and качество at the period end per class (or any `by`), from student rows:
    expected shares are means of the probabilities (Σ P(3,4,5) / N, Σ P(4,5) / N, N = grade marks and
    «н/а» as in results_summary); the most-likely shares count each row's forecast_mark."""
    if forecasts.is_empty():
        return pl.DataFrame()
    return (
        forecasts.group_by(list(by))
        .agg(
            pl.len().alias("n"),
            pl.col("student_id").n_unique().alias("students"),
            (100 * (pl.col("p_3") + pl.col("p_4") + pl.col("p_5")).mean()).alias("success_pct"),
            (100 * (pl.col("p_4") + pl.col("p_5")).mean()).alias("quality_pct"),
            (100 * pl.col("forecast_mark").is_in(["3", "4", "5"]).mean()).alias("success_pct_likely"),
            (100 * pl.col("forecast_mark").is_in(["4", "5"]).mean()).alias("quality_pct_likely"),
            pl.col("risk").sum().alias("expected_at_risk"),
            pl.col("student_id").filter(pl.col("risk") >= AT_RISK_PROBABILITY).n_unique().alias("students_at_risk"),
        )
        # one decimal, half up as every figure shown (etl.rounding), once, from the exact probabilities
        .with_columns(half_up_column(pl.col(c), 1) for c in ("success_pct", "quality_pct", "success_pct_likely",
                                                              "quality_pct_likely", "expected_at_risk"))
        .sort(list(by))
    )


def at_risk(forecasts: pl.DataFrame) -> pl.DataFrame:
    """The early-warning list: rows whose risk (P of «2» or «н/а») reaches AT_RISK_PROBABILITY, riskiest
    first (then class, student, subject, so the order is stable)."""
    if forecasts.is_empty():
        return forecasts
    return (forecasts.filter(pl.col("risk") >= AT_RISK_PROBABILITY)
            .sort(["risk", "class_name", "student_name", "subject_name"], descending=[True, False, False, False]))


def marking_pace(forecasts: pl.DataFrame) -> pl.DataFrame:
    """The deputy's finding behind `teacher_pace_short`: courses where most pupils, at the present pace, fall
    short of the [min_marks] ladder because the teacher marks rarely — one row per period × group × subject ×
    teacher, most pupils short first. These shortfalls are no pupil's risk (nor in the letter to parents)."""
    keys = ["period_id", "class_id", "class_name", "group_id", "group_name", "subject_id", "subject_name",
            "teacher_id", "teacher_name"]
    if forecasts.is_empty():
        return pl.DataFrame()
    held = pl.col("lessons_so_far") > 0
    return (
        forecasts.filter(pl.col("teacher_pace_short"))
        .group_by(keys)
        .agg(
            pl.col("student_id").n_unique().alias("students"),
            pl.col("student_id").filter(pl.col("few_marks")).n_unique().alias("students_short"),
            pl.col("n_marks").filter(held).median().alias("median_marks"),
            pl.col("projected_marks").filter(held).median().alias("median_projected_marks"),
            pl.col("min_marks").max().alias("min_marks"),
            pl.col("lessons_so_far").max().alias("lessons_so_far"),
            pl.col("lessons_planned").max().alias("lessons_planned"),
        )
        .with_columns(half_up_column(pl.col("median_projected_marks"), 1))
        .sort(["students_short", "class_name", "subject_name", "group_id"], descending=[True, False, False, False])
    )
