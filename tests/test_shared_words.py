"""Words shared by the screen and the files. Yes/no columns in the files a deputy downloads: the screen says «да» / «нет»; the CSV wrote «true» /
«false» and the XLSX a boolean that Russian Excel shows as «ИСТИНА» / «ЛОЖЬ» (e.g. «Контрольная» of the
late-marks list, the forecast's «Освобождён»)."""

from __future__ import annotations

import io

import polars as pl

from dashboard import fmt
from reports import text
from reports.text import probability


def test_yes_no_reads_as_on_screen_in_csv_and_xlsx() -> None:
    df = pl.DataFrame({"Контрольная": [True, False, None], "Отметок": [3, 0, 1]})
    files = fmt.for_files(df, ["is_control", "marks"])
    cells = pl.read_csv(io.BytesIO(fmt.to_csv(files)), separator=";", infer_schema=False)
    assert cells["Контрольная"].to_list() == ["да", "нет", None]
    assert cells["Контрольная"].to_list() == fmt.as_text(df, ["is_control", "marks"])["Контрольная"].to_list()
    assert pl.read_excel(io.BytesIO(fmt.to_xlsx(files, "Отметки")))["Контрольная"].to_list() == ["да", "нет", None]
    assert files["Отметок"].to_list() == [3, 0, 1]  # numbers stay numbers


def test_a_forecast_probability_is_never_a_verdict() -> None:
    """The deck's tile said «100 %» where the parents' letter says «более 99 %» for the same pupil."""
    assert [probability(p) for p in (0.0, 0.004, 0.006, 0.5, 0.994, 0.996, 1.0)] == [
        "менее 1\u00a0%", "менее 1\u00a0%", "1\u00a0%", "50\u00a0%", "99\u00a0%", "более 99\u00a0%", "более 99\u00a0%"]


def test_a_probability_just_below_the_warning_does_not_read_as_the_warning() -> None:
    """49,7 % printed «50 %» in a parent's letter without the warning that every «50 %» else comes with."""
    assert probability(0.497, 0.5) == "49\u00a0%"
    assert probability(0.5, 0.5) == probability(0.503, 0.5) == "50\u00a0%"
    assert probability(0.497) == "50\u00a0%"  # no warning to keep clear of
    assert probability(0.3, 0.5) == "30\u00a0%"


def test_percentage_points_are_spelt_one_way_on_every_surface() -> None:
    """The deck's tiles and column headers said «п.п.», the справка «п. п.» (the Russian typographic form,
    with a non-breaking space): one unit of one change, two spellings in front of the council."""
    pp = "п.\u00a0п."
    assert fmt.points(-1.25) == f"-1,3\u00a0{pp}" and fmt.points(0.04) == f"0,0\u00a0{pp}"  # tile deltas
    assert text.points(-1.25) == f"−1,3\u00a0{pp}"  # the справка (a typographic minus)
    frame = pl.DataFrame({"success_change": [-1.3], "quality_change": [0.5], "sou_change": [0.0]})
    headers = fmt.named(frame, fmt.Lookups(*(pl.DataFrame({"id": [], "name": [], "short_name": []})
                                             for _ in range(6)))).columns
    assert headers == [f"Изменение успеваемости, {pp}", f"Изменение качества, {pp}", f"Изменение СОУ, {pp}"]
    assert [h for h in fmt.LABELS.values() if "п.п." in h] == []
