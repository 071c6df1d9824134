"""`zavuch forecast evaluate`: one entry point over the public data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from queries.forecast.datasets import oulad, uci

DATA_DIR = Path("/work/shared/datasets")
DATASETS: dict[str, str] = {"uci-mat": "uci-student-performance/student-mat.csv",
                            "uci-por": "uci-student-performance/student-por.csv",
                            "oulad": "oulad"}
DEFAULT_CUTOFF: dict[str, float] = {"uci-mat": 1.0, "uci-por": 1.0, "oulad": 0.5}


class DatasetError(ValueError):
    """Unknown data set, cut-off out of range, or the files are not where they should be."""


def evaluate(dataset: str, cutoff: float | None = None, data_dir: Path = DATA_DIR, repeats: int = 20,
             ) -> dict[str, Any]:
    """Figures of the forecaster on one public data set (see uci.evaluate and oulad.evaluate)."""
    if dataset not in DATASETS:
        raise DatasetError(f"набор данных «{dataset}» неизвестен; допустимы: {', '.join(DATASETS)}")
    share = DEFAULT_CUTOFF[dataset] if cutoff is None else cutoff
    if not 0 < share <= 1:
        raise DatasetError(f"срез {share} вне диапазона: нужна доля периода больше 0 и не больше 1")
    path = Path(data_dir) / DATASETS[dataset]
    if not path.exists():
        raise DatasetError(f"{path}: файлы набора данных не найдены (укажите --data)")
    result = oulad.evaluate(path, share) if dataset == "oulad" else uci.evaluate(path, share, repeats)
    return {"dataset": dataset, "cutoff": share, **result}
