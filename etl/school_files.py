"""Reading the files a school hands over (bundles, recordings, norms, settings): a refusal says in Russian
which file, where in it and what is wrong, never Python's or the OS's English.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

# tomllib's messages (CPython 3.11–3.13, tomllib/_parser.py) as a school's admin can act on them.
TOML_REASONS: dict[str, str] = {
    "Invalid value": "значение записано не по правилам TOML (текст — в кавычках, дата — ГГГГ-ММ-ДД, "
                     "дробь — с точкой)",
    "Invalid statement": "строка не похожа ни на «ключ = значение», ни на [раздел] (ключ — латиницей, без пробелов)",
    "Cannot overwrite a value": "этот ключ уже задан выше",
    "Cannot declare": "этот раздел уже объявлен выше",
    "Expected '=' after a key in a key/value pair": "после ключа нужен знак «=» (ключ — одно слово латиницей)",
    "Expected newline or end of document after a statement": "после значения в строке лишний текст "
                                                             "(дробь — с точкой, не с запятой?)",
    "Expected ']' at the end of a table declaration": "не закрыта скобка «]» в названии раздела",
    "Illegal character": "недопустимый символ (не закрыта кавычка?)",
    "Unclosed array": "не закрыта скобка «]» списка",
}
_AT = re.compile(r"^(?P<msg>.*?) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$", re.DOTALL)


def unreadable(e: OSError) -> str:
    """A file the OS would not read, in Russian: «marks.csv: файл или папка не читается: нет прав на чтение»."""
    if isinstance(e, PermissionError):
        what = "нет прав на чтение"
    elif isinstance(e, IsADirectoryError):
        what = "это папка, а нужен файл"
    elif isinstance(e, FileNotFoundError):
        what = "файла нет (ссылка ведёт в никуда или файл удалён во время загрузки)"
    else:
        what = f"ошибка чтения с диска ({e.strerror or e})"
    return f"{e.filename}: файл или папка не читается: {what}"


def toml_mistake(e: tomllib.TOMLDecodeError) -> str:
    """Where the TOML breaks and why: «строка 1, столбец 8: значение записано не по правилам TOML (…)»."""
    m = _AT.match(str(e))
    message = m["msg"] if m else str(e)
    reason = next((r for known, r in TOML_REASONS.items() if message.startswith(known)), "запись не по правилам TOML")
    if m and m["line"]:
        return f"строка {m['line']}, столбец {m['col']}: {reason}"
    return f"в конце файла: {reason}" if m else reason


def read_toml(path: Path, shown: str, what: str, error: type[Exception]) -> dict[str, Any]:
    """The TOML file `path` (UTF-8, with or without Notepad's BOM), or `error` naming it as `shown`
    («manifest.toml», the path) and `what` («файл норм»): missing, unreadable, not UTF-8, or broken."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{shown}: {what} не найден") from None
    except OSError as e:  # no read permission (cron under another user), a folder of that name
        raise error(unreadable(e)) from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise error(f"{shown}: {what} не в кодировке UTF-8 (строка {line}); сохраните его в UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise error(f"{shown}: {what} не читается как TOML: {toml_mistake(e)}") from None
