"""The school's overrides of norms and document wording: merged key by key, unknown keys refused."""

from __future__ import annotations

import pytest

from etl.norms import NormsError, load_norms
from reports.templates import TemplatesError, load_templates


def test_a_school_overrides_one_norm_and_keeps_the_other_defaults(tmp_path):
    defaults = load_norms(None)
    f = tmp_path / "school.toml"
    f.write_text("[plausibility]\nmax_entry_lag_days = 90\n", encoding="utf-8")
    norms = load_norms(f)
    assert norms["plausibility"]["max_entry_lag_days"] == 90
    assert {k: v for k, v in norms.items() if k != "plausibility"} == {
        k: v for k, v in defaults.items() if k != "plausibility"}


@pytest.mark.parametrize("text, fragment", [
    ("[plausibility]\nmax_entry_lag_dayz = 90\n", "неизвестный параметр «max_entry_lag_dayz» (см. docs/norms.md)"),
    ("plausibility = 5\n", "«plausibility» должен быть разделом [plausibility]"),
    # tomllib's English («Expected ']' at the end of a table declaration (at line 1, column 14)») was shown as is
    ("[plausibility\n", "файл норм не читается как TOML: строка 1, столбец 14: не закрыта скобка «]» в названии раздела"),
    ("[plausibility]\nmax_entry_lag_days = 1,5\n",
     "файл норм не читается как TOML: строка 2, столбец 23: после значения в строке лишний текст (дробь — с точкой, "
     "не с запятой?)"),
    ("[plausibility]\nmax_entry_lag_days = девяносто\n",
     "строка 2, столбец 22: значение записано не по правилам TOML (текст — в кавычках"),
])
def test_a_mistake_in_the_norms_file_is_refused_with_its_place(tmp_path, text, fragment):
    f = tmp_path / "school.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(NormsError) as e:
        load_norms(f)
    assert fragment in str(e.value) and str(f) in str(e.value)


def test_a_norms_file_saved_by_notepad_loads_and_one_in_windows_1251_is_refused(tmp_path):
    """Notepad's UTF-8 starts with a BOM (tomllib refused it as «Invalid statement»); a file saved in
    Windows-1251 with a Russian comment ended in a UnicodeDecodeError traceback."""
    text = "# нормы школы\n[plausibility]\nmax_entry_lag_days = 90\n"
    f = tmp_path / "school.toml"
    f.write_bytes(text.encode("utf-8-sig"))
    assert load_norms(f)["plausibility"]["max_entry_lag_days"] == 90
    f.write_bytes(text.encode("cp1251"))
    with pytest.raises(NormsError) as e:
        load_norms(f)
    assert str(e.value) == f"{f}: файл норм не в кодировке UTF-8 (строка 1); сохраните его в UTF-8"


def test_a_norms_path_that_is_a_folder_is_refused_in_russian(tmp_path):
    with pytest.raises(NormsError) as e:
        load_norms(tmp_path)
    assert str(e.value) == f"{tmp_path}: файл или папка не читается: это папка, а нужен файл"


def test_missing_files_are_named(tmp_path):
    with pytest.raises(NormsError, match="файл норм не найден"):
        load_norms(tmp_path / "none.toml")
    with pytest.raises(TemplatesError, match="файл шаблонов не найден"):
        load_templates(tmp_path / "none.toml")


def test_document_wording_is_overridden_the_same_way(tmp_path):
    defaults = load_templates(None)
    section = next(k for k, v in defaults.items() if isinstance(v, dict))
    key = next(k for k, v in defaults[section].items() if isinstance(v, str))
    f = tmp_path / "wording.toml"
    f.write_text(f'[{section}]\n{key} = "Своя формулировка"\n', encoding="utf-8")
    assert load_templates(f)[section][key] == "Своя формулировка"
    f.write_text(f'[{section}]\nnot_a_key = "x"\n', encoding="utf-8")
    with pytest.raises(TemplatesError, match="см. reports/templates.toml"):
        load_templates(f)
