"""README.txt of an archive: what it is and how to check and restore it, for whoever opens it in 20 years."""

from __future__ import annotations

from typing import Any


def readme_text(name: str, records: dict[str, Any], key_fingerprint: str) -> str:
    school, year = records["school"], records["academic_year"]
    return "\n".join([
        records["title"],
        "=" * len(records["title"]),
        "",
        f"Архив: {name}",
        f"Школа: {school.get('full_name') or school['name']} ({school['id']})",
        f"Учебный год: {year['name']} ({year['start_date']} — {year['end_date']})",
        f"Создан: {records['created_at']}, кем: {records['created_by']}",
        f"Основание: {records['basis']}",
        f"Срок и порядок хранения: {records['retention']}",
        "",
        f"Состав: {records['what']}.",
        "",
        "  manifest.json      — опись: каждый файл, его размер и контрольная сумма SHA-256, сведения об архиве",
        "  manifest.sig       — электронная подпись описи (Ed25519)",
        "  signing-key.pub    — открытый ключ, которым подписана опись",
        "  data/*.parquet     — данные для восстановления хранилища",
        "  csv/*.csv          — те же данные для просмотра (UTF-8, разделитель «;», десятичная запятая)",
        "  documents/*.pdf    — сводные ведомости и справки",
        "",
        f"Отпечаток ключа подписи (SHA-256): {key_fingerprint}",
        "Сверьте его с отпечатком ключа школы, хранящимся отдельно от архива.",
        "",
        "Проверка целостности и подлинности:  zavuch archive verify ПАПКА_АРХИВА --pubkey КЛЮЧ.pub",
        "Восстановление хранилища:            zavuch archive restore ПАПКА_АРХИВА --db НОВЫЙ_ФАЙЛ.duckdb",
        "",
    ])
