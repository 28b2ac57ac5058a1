"""What makes the board's counts fast at a million cases: ``case_board_counts``.

The board counts, per state category, every case a person may see under its filters (view, kind,
queue). Grouping a million cases by category takes longer than the whole page may (SQLite reads the
done cases, nearly all of them, one by one even from a covering index; PostgreSQL's index-only scan of
a million entries took 72–80 ms). So, like the monthly
counts of ``summary_schema``, triggers keep how many cases not deleted there are for each combination
of the columns the board filters by: state category, queue, kind and assignee (NULL stored as ``''``).
A case inserted adds one; an update of any of those columns (or of ``deleted_at``) moves its one from
the old combination to the new; a delete removes it. Every writer (the repository, the bulk import,
the sweep) is covered by the database itself. ``board_counts`` reads here whenever the filters and the
reader's visibility name only those columns, and groups the cases themselves otherwise.

PostgreSQL keeps the same counts another way, so that concurrent writers never wait on a count: a row
kept up to date there would be updated by every filing of a queue and kind (each waiting for the other's
commit), and a transaction that moves many cases (a sweep's batch, a distribution plan) would take
its rows in the cases' order, not the key's, and could deadlock with another. Its triggers only insert:
each statement that inserts or deletes cases adds one row per cell it changes to
``case_board_count_changes`` (+n, −n), and each update that moves a case adds its −1 and +1. Nothing
is ever updated by a writer, so no writer waits for another. The readers read the totals
(``case_board_counts``) and the changes not yet folded into them, summed (``POSTGRESQL_COUNTS``); the
worker folds the changes into the totals every few seconds (``FOLD``: one transaction, serialised by
an advisory lock, that deletes the changes it adds), and a reader that runs before it still reads
exact counts. A ``TRUNCATE`` of the cases empties both.

``attach`` creates these objects with ``metadata.create_all``; migration ``0042`` repeats them
literally and fills the table from the cases already stored (SQLite), ``0051`` makes PostgreSQL's counts
(and drops the index of the open cases by queue and assignee of ``0047``, which the counts replace).
"""

from __future__ import annotations

from sqlalchemy import MetaData, column, select, table, union_all

from .count_triggers import key_value, sqlite_counts
from .schema_statements import attach_statements

COUNTS_TABLE = "case_board_counts"
# The board's columns, as stored in the counts ('' for NULL in the nullable ones).
KEYS = ("state_category", "queue", "kind", "assignee")
NULLABLE = frozenset({"queue", "assignee"})
CHANGES_TABLE = "case_board_count_changes"  # PostgreSQL: the changes not yet folded into the counts
# The tables as queries see them; on PostgreSQL, the counts are the totals and the changes summed.
COUNTS = table(COUNTS_TABLE, column("cases"), *(column(k) for k in KEYS))
CHANGES = table(CHANGES_TABLE, column("cases"), *(column(k) for k in KEYS))
POSTGRESQL_COUNTS = union_all(select(COUNTS), select(CHANGES)).subquery("board_counts")
_WATCHED = ("deleted_at", *KEYS)


SQLITE_CREATE, SQLITE_DROP = sqlite_counts(
    COUNTS_TABLE,
    "  state_category TEXT NOT NULL, queue TEXT NOT NULL, kind TEXT NOT NULL, assignee TEXT NOT NULL,",
    [key_value(k, k in NULLABLE) for k in KEYS], _WATCHED)

_COLUMNS = ", ".join(KEYS)
_DEFINITION = "state_category TEXT NOT NULL, queue TEXT NOT NULL, kind TEXT NOT NULL, assignee TEXT NOT NULL"


def _cell(row: str) -> str:
    return ", ".join(f"coalesce({row}.{k}, '')" if k in NULLABLE else f"{row}.{k}" for k in KEYS)


def _statement_change(name: str, rows: str, sign: str) -> str:
    """A function that adds the cells of the cases a statement inserted or deleted (``rows``, its
    transition table), ``sign`` each."""
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGES_TABLE} ({_COLUMNS}, cases)
  SELECT {_cell('r')}, {sign}count(*) FROM {rows} r WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END $$"""


POSTGRESQL_CREATE = (
    f"CREATE TABLE {COUNTS_TABLE} ({_DEFINITION}, cases BIGINT NOT NULL, "
    f"PRIMARY KEY ({_COLUMNS}) INCLUDE (cases))",
    f"CREATE TABLE {CHANGES_TABLE} ({_DEFINITION}, cases INTEGER NOT NULL)",
    _statement_change("board_counts_inserted", "inserted", ""),
    _statement_change("board_counts_deleted", "deleted", "-"),
    f"""CREATE FUNCTION board_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGES_TABLE} ({_COLUMNS}, cases)
  SELECT {_cell('OLD')}, -1 WHERE OLD.deleted_at IS NULL
  UNION ALL SELECT {_cell('NEW')}, 1 WHERE NEW.deleted_at IS NULL;
  RETURN NULL;
END $$""",
    f"""CREATE FUNCTION board_counts_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {COUNTS_TABLE};
  DELETE FROM {CHANGES_TABLE};
  RETURN NULL;
END $$""",
    f"CREATE TRIGGER {COUNTS_TABLE}_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION board_counts_inserted()",
    f"CREATE TRIGGER {COUNTS_TABLE}_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION board_counts_deleted()",
    f"CREATE TRIGGER {COUNTS_TABLE}_update AFTER UPDATE OF {', '.join(_WATCHED)} ON cases FOR EACH ROW "
    f"WHEN ({' OR '.join(f'OLD.{k} IS DISTINCT FROM NEW.{k}' for k in _WATCHED)}) "
    "EXECUTE FUNCTION board_counts_moved()",
    f"CREATE TRIGGER {COUNTS_TABLE}_truncate AFTER TRUNCATE ON cases "
    "FOR EACH STATEMENT EXECUTE FUNCTION board_counts_emptied()",
)
POSTGRESQL_DROP = (
    "DROP FUNCTION IF EXISTS board_counts_inserted, board_counts_deleted, board_counts_moved, "
    "board_counts_emptied CASCADE",
    f"DROP TABLE IF EXISTS {COUNTS_TABLE}, {CHANGES_TABLE}",
)
# The changes folded into the totals: one at a time (the advisory lock's key is this table's name's
# hash), each change deleted in the transaction that adds it.
FOLD = (
    f"SELECT pg_advisory_xact_lock(hashtext('{CHANGES_TABLE}'))",
    f"WITH folded AS (DELETE FROM {CHANGES_TABLE} RETURNING {_COLUMNS}, cases) "
    f"INSERT INTO {COUNTS_TABLE} AS t ({_COLUMNS}, cases) "
    f"SELECT {_COLUMNS}, sum(cases) FROM folded GROUP BY {_COLUMNS} HAVING sum(cases) <> 0 "
    f"ORDER BY {_COLUMNS} ON CONFLICT ({_COLUMNS}) DO UPDATE SET cases = t.cases + excluded.cases",
)

BOARD_ONLY_NAMES = frozenset({COUNTS_TABLE, CHANGES_TABLE, f"sqlite_autoindex_{COUNTS_TABLE}_1",
                              f"{COUNTS_TABLE}_pkey"})


def attach(metadata: MetaData) -> None:
    """Create the counts and their triggers after every table (``metadata.create_all``)."""
    attach_statements(metadata, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE},
                      {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
