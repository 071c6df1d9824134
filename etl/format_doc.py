"""Keep the table reference in docs/data-format.md generated from the bundle spec.

    python -m etl.format_doc        # rewrite the block between the markers
tests/test_load_docs.py fails when the document and etl/bundle_spec.py disagree.
"""

from __future__ import annotations

from pathlib import Path

from etl.bundle_spec import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-format.md"
BEGIN, END = "<!-- tables:begin (python -m etl.format_doc) -->", "<!-- tables:end -->"
TYPE_WORDS = {
    "text": "текст",
    "int": "целое",
    "decimal": "число",
    "date": "дата",
    "timestamp": "дата и время",
    "bool": "да/нет",
}


def render_tables() -> str:
    parts = []
    for t in TABLES:
        files = ", ".join(f"`{n}`" for n in (t.name, *t.aliases))
        parts.append(f"### `{t.name}`{' (факты)' if t.is_fact else ''}\n")
        if t.doc:
            parts.append(f"{t.doc}\n")
        parts.append(f"Имя файла: {files} (+ .csv / .xlsx / .parquet / .jsonl).\n")
        parts.append("| column | тип | обязателен | русские заголовки | ссылается на | допустимые значения | примечание |")
        parts.append("|---|---|---|---|---|---|---|")
        for c in t.columns:
            parts.append(
                f"| `{c.name}` | {TYPE_WORDS[c.type]} | {'да' if c.required else ''} | "
                f"{', '.join('«' + a + '»' for a in c.aliases)} | {f'`{c.references}`' if c.references else ''} | "
                f"{', '.join(c.choices) if c.choices else ''} | {c.doc} |"
            )
        parts.append("")
    return "\n".join(parts)


def replace_block(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{render_tables()}\n{END}{tail}"


if __name__ == "__main__":
    DOC.write_text(replace_block(DOC.read_text(encoding="utf-8")), encoding="utf-8")
