"""Public data sets brought into the forecaster (forecast-anchors §3): UCI Student Performance
(period marks G1/G2 → final mark) and OULAD (gradebook up to a cut-off → fail/withdraw risk).

    evaluate(dataset, cutoff=None, data_dir=DATA_DIR, repeats=20) -> dict
"""

from __future__ import annotations

from queries.forecast.datasets.evaluate import DATA_DIR, DATASETS, DatasetError, evaluate

__all__ = ["DATASETS", "DATA_DIR", "DatasetError", "evaluate"]
