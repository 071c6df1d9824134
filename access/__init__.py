"""Завуч accounts, logins and the audit log, kept in their own SQLite file next to the warehouse.

The DuckDB warehouse is replaced wholesale by every load and readers open it read-only, so it cannot
hold accounts: `data/zavuch-access.sqlite` (or $ZAVUCH_ACCESS_DB) does. Row-level rights themselves
are enforced by the query layer (queries.access); this package turns an account into that `Access`.
"""
