"""What makes the board's counts fast at a million cases on SQLite: ``case_board_counts``.

The board counts, per state category, every case a person may see under its filters (view, kind,
queue). Grouping a million cases by category takes SQLite longer than the whole page may (the done
cases, nearly all of them, are read one by one even from a covering index). So, like the monthly
counts of ``summary_schema``, triggers keep how many cases not deleted there are for each combination
of the columns the board filters by: state category, queue, kind and assignee (NULL stored as ``''``).
A case inserted adds one; an update of any of those columns (or of ``deleted_at``) moves its one from
the old combination to the new; a delete removes it. Every writer (the repository, the bulk import,
the sweep) is covered by the database itself. ``board_counts`` reads here whenever the filters and the
reader's visibility name only those columns, and groups the cases themselves otherwise.

PostgreSQL has no such table, for the reason ``summary_schema`` gives: every filing of a queue and kind
would update the same row and serialise concurrent writers on it.

``attach`` creates these objects with ``metadata.create_all``; migration ``0042`` repeats them
literally and fills the table from the cases already stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, MetaData, column, event, table

COUNTS_TABLE = "case_board_counts"
# The board's columns, as stored in the counts ('' for NULL in the nullable ones).
KEYS = ("state_category", "queue", "kind", "assignee")
NULLABLE = frozenset({"queue", "assignee"})
# The table as queries see it.
COUNTS = table(COUNTS_TABLE, column("cases"), *(column(k) for k in KEYS))
_WATCHED = ("deleted_at", *KEYS)


def _values(row: str) -> str:
    return ", ".join(f"coalesce({row}.{k}, '')" if k in NULLABLE else f"{row}.{k}" for k in KEYS)


def _matches(row: str) -> str:
    return " AND ".join(f"{k} = coalesce({row}.{k}, '')" if k in NULLABLE else f"{k} = {row}.{k}"
                        for k in KEYS)


_COLUMNS = ", ".join(KEYS)
_ADD = (f"INSERT INTO {COUNTS_TABLE} ({_COLUMNS}, cases) SELECT {_values('new')}, 1 "
        "WHERE new.deleted_at IS NULL "
        f"ON CONFLICT ({_COLUMNS}) DO UPDATE SET cases = cases + 1;")
_REMOVE = f"UPDATE {COUNTS_TABLE} SET cases = cases - 1 WHERE old.deleted_at IS NULL AND {_matches('old')};"
_CHANGED = " OR ".join(f"old.{k} IS NOT new.{k}" for k in _WATCHED)

SQLITE_CREATE = (
    f"""CREATE TABLE {COUNTS_TABLE} (
  state_category TEXT NOT NULL, queue TEXT NOT NULL, kind TEXT NOT NULL, assignee TEXT NOT NULL,
  cases INTEGER NOT NULL,
  PRIMARY KEY ({_COLUMNS})
)""",
    f"CREATE TRIGGER {COUNTS_TABLE}_insert AFTER INSERT ON cases BEGIN\n  {_ADD}\nEND",
    f"CREATE TRIGGER {COUNTS_TABLE}_update AFTER UPDATE OF {', '.join(_WATCHED)} ON cases\n"
    f"WHEN {_CHANGED} BEGIN\n  {_REMOVE}\n  {_ADD}\nEND",
    f"CREATE TRIGGER {COUNTS_TABLE}_delete AFTER DELETE ON cases BEGIN\n  {_REMOVE}\nEND",
)
SQLITE_DROP = (*(f"DROP TRIGGER IF EXISTS {COUNTS_TABLE}_{what}" for what in ("insert", "update", "delete")),
               f"DROP TABLE IF EXISTS {COUNTS_TABLE}")

BOARD_ONLY_NAMES = frozenset({COUNTS_TABLE, f"sqlite_autoindex_{COUNTS_TABLE}_1"})


def _after_create(_target: MetaData, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            connection.exec_driver_sql(statement)


def _before_drop(_target: MetaData, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)


def attach(metadata: MetaData) -> None:
    """Create the counts and their triggers after every table (``metadata.create_all``)."""
    event.listen(metadata, "after_create", _after_create)
    event.listen(metadata, "before_drop", _before_drop)
