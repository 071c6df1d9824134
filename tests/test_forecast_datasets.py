"""Public data through the forecaster: adapters' row counts and the issue-6 evaluation targets.

UCI figures here use 5 × 10-fold CV (the CLI default is Cortez's 20 × 10) to spare the shared CPU; the
tolerance covers only the difference between the two. OULAD runs are deterministic (one thread, rounded
features), so its 2014 figures are pinned next to the issue's bars.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from queries.forecast.datasets import DATA_DIR, evaluate, oulad, uci

pytestmark = pytest.mark.skipif(not DATA_DIR.exists(), reason="shared/datasets not present")
TOL = 0.003


def test_uci_adapter_rows_and_marks() -> None:
    mat = uci.load(DATA_DIR / "uci-student-performance/student-mat.csv")
    por = uci.load(DATA_DIR / "uci-student-performance/student-por.csv")
    assert (mat.height, por.height) == (395, 649)
    # anchors §3.1: 2/3/4/5 with «н/а» counted as 2: mat 130/134/107/24, por 100/273/230/46; G3 = 0: 38 and 15
    for rows, counts, na in ((mat, [130, 134, 107, 24], 38), (por, [100, 273, 230, 46], 15)):
        marks = rows["final_mark"].replace("н/а", "2").value_counts().sort("final_mark")["count"].to_list()
        assert marks == counts
        assert (rows["final_mark"] == "н/а").sum() == na


def test_oulad_adapter_rows() -> None:
    at_half = oulad.load(DATA_DIR / "oulad", 0.5)
    assert at_half.height == 24601  # anchors §4.2: still registered at 50 %
    assert round(float(at_half["at_risk"].mean()), 3) == 0.375
    assert round(float(at_half["n_due"].mean()), 1) == 4.0


def test_oulad_design_is_deterministic() -> None:
    # DuckDB's parallel sums leave order-dependent last bits; the design matrix must not carry them
    a, b = oulad.load(DATA_DIR / "oulad", 0.5), oulad.load(DATA_DIR / "oulad", 0.5)
    modules = sorted(a["code_module"].unique().to_list())
    assert np.array_equal(oulad.design(a, modules), oulad.design(b, modules), equal_nan=True)


def test_oulad_validation_2013_only() -> None:
    # the figure the model's settings were chosen on (docs/forecast.md): 2013B ⇄ 2013J at 50 %
    v = oulad.validate(DATA_DIR / "oulad", 0.5)
    assert set(v) == {"2013B->2013J", "2013J->2013B", "mean"}
    assert v["mean"]["auc"] == pytest.approx(0.9032, abs=0.0005)
    assert v["2013B->2013J"]["auc"] == pytest.approx(0.9089, abs=0.0005)
    assert v["2013J->2013B"]["auc"] == pytest.approx(0.8974, abs=0.0005)


@pytest.fixture(scope="module")
def uci_mat():
    return evaluate("uci-mat", repeats=5)


def test_uci_maths_g1_g2(uci_mat) -> None:
    assert uci_mat["rows"] == 395 and uci_mat["setup"] == "G1+G2"
    assert uci_mat["model"]["accuracy"] >= 0.87 - TOL
    assert uci_mat["model"]["qwk"] >= 0.92 - TOL
    assert uci_mat["naive"]["accuracy"] == pytest.approx(0.863, abs=0.001)  # anchors §4.1 NV 0.863 / 0.919
    assert uci_mat["naive"]["qwk"] == pytest.approx(0.919, abs=0.001)
    assert uci_mat["model"]["auc"] > uci_mat["naive"]["auc"]


def test_uci_portuguese_g1_g2() -> None:
    por = evaluate("uci-por", repeats=5)
    assert por["model"]["accuracy"] >= 0.78
    assert por["naive"]["accuracy"] == pytest.approx(0.775, abs=0.001)


@pytest.fixture(scope="module")
def oulad_25():
    return evaluate("oulad", 0.25)


@pytest.fixture(scope="module")
def oulad_50():
    return evaluate("oulad", 0.5)


def test_oulad_25(oulad_25) -> None:
    assert oulad_25["model"]["auc"] >= 0.78
    assert oulad_25["model"]["f1"] > oulad_25["rule"]["f1"]
    assert oulad_25["rule"]["f1"] == pytest.approx(0.576, abs=0.001)


def test_oulad_50_anchor_bars(oulad_50) -> None:
    # forecast-anchors §4.3 bars: AUC ≥ 0.84, precision@top-20 % ≥ 0.85, F1 above the rule (0.66)
    assert oulad_50["model"]["auc"] >= 0.84
    assert oulad_50["model"]["precision_top20"] >= 0.85
    assert oulad_50["model"]["f1"] > oulad_50["rule"]["f1"] >= 0.66 - TOL


def test_oulad_50_issue_targets(oulad_50) -> None:
    # scored once on 2014 after the settings were chosen on 2013 (docs/forecast.md); the run is
    # deterministic, so the figures are pinned (a library change that moves them shows here) and the
    # issue-6 bars are checked as they are
    assert oulad_50["model"]["auc"] == pytest.approx(0.8704, abs=0.001)
    assert oulad_50["model"]["precision_top20"] == pytest.approx(0.8682, abs=0.001)
    assert oulad_50["model"]["auc"] >= 0.87
    assert oulad_50["model"]["precision_top20"] >= 0.86


def test_oulad_75_f1_above_rule() -> None:
    at_75 = evaluate("oulad", 0.75)
    assert at_75["model"]["f1"] > at_75["rule"]["f1"]


def test_unknown_dataset_and_cutoff() -> None:
    from queries.forecast.datasets import DatasetError
    with pytest.raises(DatasetError, match="неизвестен"):
        evaluate("uci-bio")
    with pytest.raises(DatasetError, match="вне диапазона"):
        evaluate("oulad", 1.5)
    with pytest.raises(DatasetError, match="не найдены"):
        evaluate("oulad", 0.5, data_dir=Path("/nonexistent"))
