"""SQL source: a school's own database (anything SQLAlchemy reaches), mapped by a declarative file.

The mapping file (TOML) names the connection and, per canonical table, where its rows come from:

    url_env = "ZAVUCH_SQL_URL"          # or url_file = "…"; a URL with a password never sits in the file
    mode = "snapshot"                   # or "delta" when the queries return only part of the journal

    [tables.people]
    from = "pupils"                     # a table or view of the school's database
    where = "archived = false"          # optional
    [tables.people.columns]             # canonical column = expression over the source table
    id = "pupil_no"
    school_id = "'1'"
    role = "'student'"
    last_name = "surname"

    [tables.marks]
    query = "SELECT … AS id, … AS student_id, … FROM grades JOIN …"   # or a whole query

Column names are those of etl/bundle_spec.py. Ids and references are prefixed 'sql:' so they never
collide with another system's; every value is passed on as text and the loader validates it as usual.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from etl.adapters.base import AdapterError, Extract, ImportOptions, sid, ts
from etl.bundle_spec import LOAD_ORDER, TABLES_BY_NAME
from etl.school_files import read_toml

SYSTEM = "sql"


class SqlAdapter:
    system = SYSTEM
    title = "База данных школы через SQLAlchemy: файл сопоставления (TOML) таблиц школы со стандартными"

    def read(self, source: Path, options: ImportOptions) -> Extract:
        mapping = _read_mapping(source)
        url = _url(mapping, source)
        ex = Extract(SYSTEM, mapping.get("mode", "snapshot"))
        ex.manifest["mapping_file"] = source.name
        ex.raw[f"sql/{source.name}"] = source.read_bytes()
        try:
            engine = sa.create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as e:
            raise AdapterError(f"{source.name}: адрес базы не подходит ({type(e).__name__}: {e})") from None
        try:
            with engine.connect() as con:
                for table in LOAD_ORDER:
                    spec = mapping["tables"].get(table)
                    if spec is None:
                        continue
                    query = _query(table, spec, source.name)
                    try:
                        result = con.execute(sa.text(query))
                    except SQLAlchemyError as e:
                        raise AdapterError(f"{source.name}, [tables.{table}]: запрос не выполнен: "
                                           f"{_first_line(e)}") from None
                    columns = list(result.keys())
                    _check_columns(table, columns, source.name)
                    refs = {c.name for c in TABLES_BY_NAME[table].columns if c.references or c.name == "id"}
                    for n, row in enumerate(result, start=1):
                        ex.place = f"{source.name}, [tables.{table}]: строка {n} результата запроса"
                        ex.add(table, {c: _value(v, c in refs) for c, v in zip(columns, row)})
                    ex.place = None
        except sa.exc.OperationalError as e:
            raise AdapterError(f"{source.name}: нет соединения с базой ({_first_line(e)})") from None
        finally:
            engine.dispose()
        return ex


def _read_mapping(path: Path) -> dict[str, Any]:
    data = read_toml(path, str(path), "файл сопоставления", AdapterError)
    tables = data.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise AdapterError(f"{path.name}: нет ни одного раздела [tables.<таблица>]")
    unknown = [t for t in tables if t not in TABLES_BY_NAME]
    if unknown:
        raise AdapterError(f"{path.name}: неизвестные таблицы {', '.join(unknown)}; допустимы: {', '.join(LOAD_ORDER)}")
    if data.get("mode", "snapshot") not in ("snapshot", "delta"):
        raise AdapterError(f"{path.name}: mode = «{data['mode']}»; допустимо snapshot или delta")
    return data


def _url(mapping: dict[str, Any], path: Path) -> str:
    if mapping.get("url_env"):
        url = os.environ.get(mapping["url_env"], "").strip()
        if not url:
            raise AdapterError(f"{path.name}: переменная окружения {mapping['url_env']} с адресом базы не задана")
        return url
    if mapping.get("url_file"):
        p = (path.parent / mapping["url_file"]).resolve()
        try:
            return p.read_text(encoding="utf-8").strip()
        except OSError:
            raise AdapterError(f"{path.name}: файл с адресом базы {p} не читается") from None
    url = str(mapping.get("url", ""))
    if not url:
        raise AdapterError(f"{path.name}: укажите адрес базы: url_env, url_file или url (без пароля)")
    if sa.engine.make_url(url).password:
        raise AdapterError(f"{path.name}: пароль в url не хранится в файле сопоставления: используйте url_env или url_file")
    return url


def _query(table: str, spec: dict[str, Any], name: str) -> str:
    if "query" in spec:
        return str(spec["query"])
    if "from" not in spec or not isinstance(spec.get("columns"), dict):
        raise AdapterError(f"{name}, [tables.{table}]: нужен query или from + [tables.{table}.columns]")
    cols = ", ".join(f"{expr} AS {col}" for col, expr in spec["columns"].items())
    where = f" WHERE {spec['where']}" if spec.get("where") else ""
    return f"SELECT {cols} FROM {spec['from']}{where}"


def _check_columns(table: str, columns: list[str], name: str) -> None:
    known = {c.name for c in TABLES_BY_NAME[table].columns}
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise AdapterError(f"{name}, [tables.{table}]: столбцов {', '.join(unknown)} нет в таблице {table} "
                           f"(см. docs/data-format.md)")
    missing = [c.name for c in TABLES_BY_NAME[table].columns if c.required and c.name not in columns]
    if missing:
        raise AdapterError(f"{name}, [tables.{table}]: не сопоставлены обязательные столбцы {', '.join(missing)}")


def _value(v: Any, is_id: bool) -> Any:
    if v is None:
        return None
    if is_id:
        return sid(SYSTEM, v)
    if isinstance(v, datetime):
        return ts(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return v


def _first_line(e: Exception) -> str:
    return str(getattr(e, "orig", None) or e).strip().splitlines()[0]
