"""Saved report pages and "HTML-as-Excel" exports: decode them the way a browser would.

Old `.xls` exports and legacy ASP pages may be cp1251 or UTF-8 (data-formats §9): the declared
`<meta charset>` wins, else charset-normalizer guesses.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from charset_normalizer import from_bytes

from etl.adapters.base import AdapterError
from etl.school_files import unreadable

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def decode_page(data: bytes, name: str) -> str:
    m = _META.search(data[:4096])
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None:
        raise AdapterError(f"{name}: не удалось определить кодировку страницы")
    return str(best)


def read_page(path: Path) -> tuple[lxml.html.HtmlElement, bytes]:
    """The parsed page and its bytes (kept verbatim in the bundle's raw/)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AdapterError(unreadable(e)) from None
    text = decode_page(data, path.name)
    if "<" not in text:
        raise AdapterError(f"{path.name}: это не HTML-страница")
    opened, closed = len(_TABLE_OPEN.findall(text)), len(_TABLE_CLOSE.findall(text))
    if closed < opened:  # the browser would show the rows it got, silently fewer marks
        line = text.count("\n", 0, len(text.rstrip())) + 1
        raise AdapterError(f"{path.name}: файл оборван на строке {line}: таблица не закрыта (нет «</table>»), "
                           "часть отметок потеряна; сохраните страницу (выгрузку) заново")
    return lxml.html.fromstring(text), data


def cell_text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def no_table(root: lxml.html.HtmlElement, name: str, table: str, system: str) -> AdapterError:
    """The refusal of a page without the expected table (`table`: what it is and how it is headed). A login
    form is the usual cause (saved without logging in, or after the session expired), and «не найдена
    таблица» sent the admin looking inside a page that holds no data at all."""
    if root.xpath('//input[translate(@type, "PASWORD", "pasword")="password"]'):
        title = cell_text(root.find(".//title")) if root.find(".//title") is not None else ""
        return AdapterError(f"{name}: это страница входа в {system}" + (f" («{title}»)" if title else "")
                            + f", а не {table}: страницу сохранили, не войдя в систему (или сеанс истёк); "
                            f"войдите в {system} и сохраните страницу отчёта заново")
    return AdapterError(f"{name}: не найдена {table}")

