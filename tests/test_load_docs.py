"""docs/data-format.md documents every table and column of the bundle spec, generated from it."""

from __future__ import annotations

from etl.bundle_spec import TABLES
from etl.format_doc import DOC, render_tables, replace_block


def test_table_reference_is_in_sync_with_bundle_spec() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert replace_block(text) == text, "run: python -m etl.format_doc"


def test_every_column_and_alias_is_documented() -> None:
    block = render_tables()
    for t in TABLES:
        assert f"### `{t.name}`" in block
        for c in t.columns:
            assert f"| `{c.name}` |" in block
            for a in c.aliases:
                assert f"«{a}»" in block
