"""Inserting many rows in one statement, on SQLite and PostgreSQL.

On PostgreSQL a plain ``executemany`` becomes one statement per row (psycopg pipelines them, but
the server still plans and runs each): planning 20,000 tasks spent most of its time there. So on
PostgreSQL the rows go in as one ``INSERT … SELECT FROM unnest(arrays)`` — one array per column,
one round trip. SQLite runs ``executemany`` in-process, which is already fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def insert_rows(
    session: Session,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    returning: Sequence[str] = (),
    skip_conflicts: bool = False,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (all with the same keys) into ``table``; return the ``returning`` columns.

    With ``skip_conflicts`` a row that would violate a unique constraint is skipped
    (``ON CONFLICT DO NOTHING``).

    >>> insert_rows(session, Task.__table__, rows, returning=("id", "key"))  # doctest: +SKIP
    [(1, 'goal_status'), (2, 'goal_status'), ...]
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _insert_unnest(session, table, rows, returning, skip_conflicts)
    statement = sqlite.insert(table)
    if skip_conflicts:
        statement = statement.on_conflict_do_nothing()
    if returning:
        returns = statement.returning(*(table.c[name] for name in returning))
        return [tuple(row) for row in session.execute(returns, list(rows))]
    session.execute(statement, list(rows))
    return []


def _insert_unnest(
    session: Session,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    returning: Sequence[str],
    skip_conflicts: bool,
) -> list[tuple[Any, ...]]:
    names = list(rows[0])
    arrays = {f"c{i}": [_plain(row[name]) for row in rows] for i, name in enumerate(names)}
    casts = ", ".join(
        f"CAST(%(c{i})s AS {_array_type(table.c[name])})" for i, name in enumerate(names)
    )
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) SELECT * FROM unnest({casts})"
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    result = session.connection().exec_driver_sql(sql, arrays)
    return [tuple(row) for row in result] if returning else []


def _array_type(column: sa.Column[Any]) -> str:
    if isinstance(column.type, sa.JSON):
        return "json[]"
    return f"{column.type.compile(dialect=_PG)}[]"


def _plain(value: Any) -> Any:
    """Values psycopg adapts inside an array: enums as their value, JSON as text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value
