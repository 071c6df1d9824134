"""Rule baseline and marks-needed arithmetic on hand-computed cases (no warehouse needed)."""

from __future__ import annotations

import copy

import numpy as np
import polars as pl
import pytest

from etl.norms import load_norms
from queries.forecast.explain import needs, reasons
from queries.forecast.protocol import MARKS
from queries.forecast.rule import marks_needed, next_mark_needs, rule_probabilities
from queries.forecast.scoring import mark_scores, precision_at_top


def _norms(t3: float, t4: float, t5: float) -> dict:
    n = copy.deepcopy(load_norms())
    n["rounding"].update({"to_3": t3, "to_4": t4, "to_5": t5})
    return n


def test_marks_needed_default_rounding() -> None:
    # marks 3, 4, 4 and a control «3» of weight 2: S = 3 + 4 + 4 + 6 = 17, W = 5, average 3.4 → «3».
    # to reach 3.5: (3.5·5 − 17) / (5 − 3.5) = 0.33 → one «5»; with «4»: 0.5 / 0.5 = 1 → one «4».
    assert next_mark_needs(17, 5, _norms(2.5, 3.5, 4.5)) == (4, 1, 1)


def test_marks_needed_stricter_rounding() -> None:
    # the same marks under 2.6 / 3.6 / 4.6: (3.6·5 − 17) / 1.4 = 0.71 → one «5»; with «4»: 1 / 0.4 = 2.5 → 3.
    assert next_mark_needs(17, 5, _norms(2.6, 3.6, 4.6)) == (4, 1, 3)
    # average 4.5 is a «5» at 4.5 but not at 4.65: (4.65·4 − 18) / 0.35 = 1.71 → two «5», «4» never.
    assert next_mark_needs(18, 4, _norms(2.5, 3.5, 4.5)) == (None, 0, None)
    assert next_mark_needs(18, 4, _norms(2.5, 3.5, 4.65)) == (5, 2, None)


def test_marks_needed_edge_cases() -> None:
    assert marks_needed(10, 4, 2.5) == 0  # already at 2.5
    assert marks_needed(8, 4, 2.5) == 1  # (10 − 8) / 2.5 = 0.8 → 1
    assert marks_needed(8, 4, 4.5, mark=4.0) is None  # fours never reach 4.5
    assert marks_needed(4, 2, 2.5, mark=5.0, weight=2.0) == 1  # (5 − 4) / (2 · 2.5) = 0.2 → one control «5»
    assert next_mark_needs(0, 0, _norms(2.5, 3.5, 4.5)) == (None, 0, None)  # no marks: nothing to compute


def _rows(**cols) -> pl.DataFrame:
    base = {"weighted_avg": [3.4], "weight_sum": [5.0], "lessons_so_far": [10], "lessons_planned": [10],
            "mark_sd": [0.8], "rule_na": [False]}
    base.update(cols)
    return pl.DataFrame(base)


def test_rule_at_period_end_is_the_rounded_average() -> None:
    # every lesson held: no marks to come, the rule is certain; 3.4 → «3» at 3.5, and 3.46 → «4» at 3.45
    p = rule_probabilities(_rows(), _norms(2.5, 3.5, 4.5))
    assert p[0].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]
    p = rule_probabilities(_rows(weighted_avg=[3.46]), _norms(2.5, 3.45, 4.5))
    assert MARKS[int(np.argmax(p[0]))] == "4" and p[0].max() == 1.0


def test_rule_spread_and_na() -> None:
    # half the period left: remaining weight 5, sd = 0.8·√5 / 10 = 0.1789; P(final ≥ 3.5) = 1 − Φ(0.1/0.1789)
    p = rule_probabilities(_rows(lessons_so_far=[5]), _norms(2.5, 3.5, 4.5))
    assert p[0, MARKS.index("4")] == pytest.approx(0.2881, abs=1e-3)
    assert p[0].sum() == pytest.approx(1.0)
    p = rule_probabilities(_rows(rule_na=[True]), _norms(2.5, 3.5, 4.5))
    assert p[0].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_reasons_and_needs_text() -> None:
    norms = load_norms()
    row = {"weighted_avg": 2.74, "own_few_marks": False, "min_marks": 5, "n_marks": 3, "missed_control_works": 2,
           "absence_share": 0.45, "lessons_missed": 9, "lessons_so_far": 20, "n_twos": 1, "previous_na": False,
           "previous_mark": 3.0}
    assert reasons(row, norms) == ("средневзвешенный 2,74; не написаны 2 контрольные; пропущено 45,0 % уроков "
                                   "(9 из 20)")
    row.update(missed_control_works=1, absence_share=0.1, n_twos=5, previous_mark=2.0, own_few_marks=True)
    assert reasons(row, norms) == ("средневзвешенный 2,74; мало отметок: 3 (нужно не менее 5 за период); "
                                   "не написана 1 контрольная; 5 двоек; «2» за прошлый период")
    assert reasons({**row, "weighted_avg": 4.25}, norms).startswith("средневзвешенный 4,25;")
    # no mark at all: before, «нет отметок» beside «н/а, более 99 %», and not how many marks it takes
    none = {**row, "weighted_avg": None, "n_marks": 0, "min_marks": 7, "missed_control_works": 0, "n_twos": 0,
            "previous_mark": None}
    assert reasons(none, norms) == "нет отметок (нужно не менее 7 за период)"
    assert reasons({**none, "own_few_marks": False}, norms) == "нет отметок"
    assert needs(4, 2, 3) == "до «4»: ещё 2 × «5» (или 3 × «4»)"
    assert needs(5, 2, None) == "до «5»: ещё 2 × «5»"
    assert needs(None, 0, None) == ""
    # more «5» needed than lessons remain: said, not promised
    assert needs(5, 21, None, 4) == "до «5»: ещё 21 × «5», а до конца периода 4 урока"
    assert needs(4, 8, 24, 1) == "до «4»: ещё 8 × «5» (или 24 × «4»), а до конца периода 1 урок"
    assert needs(4, 8, 24, 0) == "до «4»: ещё 8 × «5» (или 24 × «4»), а уроков до конца периода больше нет"
    assert needs(4, 2, 3, 2) == "до «4»: ещё 2 × «5» (или 3 × «4»)"  # two lessons can bring two «5»


def test_scores_hand_computed() -> None:
    s = mark_scores(["5", "4", "н/а", "3"], ["5", "3", "2", "3"])  # н/а counts as 2
    assert s["accuracy"] == 0.75 and s["mae"] == 0.25
    assert precision_at_top(np.array([1, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.1, 0.2]), 0.2) == 1.0
    assert precision_at_top(np.array([1, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.1, 0.2]), 0.4) == 0.5
