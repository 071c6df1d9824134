"""The deck's upload names what the user uploaded, not the temporary copy the loader reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.upload import load_uploaded
from etl.bundle import BundleRefused
from tests.load_fixtures import school, write_bundle, zip_bundle


@dataclass
class _Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_a_refused_upload_names_the_uploaded_archive(tmp_path: Path) -> None:
    """«Пакет не загружен: /tmp/zavuch-upload-k3j2/выгрузка.zip: Выгрузка/оценки.csv: …»: the path of a
    temporary copy, which the IT admin cannot find anywhere."""
    bundle = write_bundle(tmp_path / "b", school())
    (bundle / "оценки.txt.bak").write_text("x", encoding="utf-8")
    archive = zip_bundle(bundle, tmp_path / "выгрузка.zip", "Выгрузка")
    with pytest.raises(BundleRefused) as refused:
        load_uploaded([_Upload("выгрузка.zip", archive.read_bytes())], tmp_path / "w.duckdb")
    assert str(refused.value) == ("выгрузка.zip: Выгрузка/оценки.txt.bak: формат «.bak» не поддерживается; "
                                  "сохраните таблицу как .csv, .xlsx, .parquet или .jsonl")
    assert not (tmp_path / "w.duckdb").exists()


def test_a_loaded_upload_s_summary_names_the_archive(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", school())
    archive = zip_bundle(bundle, tmp_path / "выгрузка.zip")
    report = load_uploaded([_Upload("выгрузка.zip", archive.read_bytes())], tmp_path / "w.duckdb")
    assert report.summary().splitlines()[0].startswith("Партия № 1: выгрузка.zip, ")
