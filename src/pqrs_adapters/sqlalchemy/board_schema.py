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
would update the same row and serialise concurrent writers on it. For the counts asked most (the menu's
cases to hand out, on every page a supervisor opens, and the dashboard's load per person) it has an
index of the open cases by queue and assignee instead, which those counts read alone (an index-only
scan) rather than every open case's row (migration ``0047``).

``attach`` creates these objects with ``metadata.create_all``; migration ``0042`` repeats them
literally and fills the table from the cases already stored, and ``0047`` makes PostgreSQL's index.
"""

from __future__ import annotations

from sqlalchemy import MetaData, column, table

from .count_triggers import key_value, sqlite_counts
from .schema_statements import attach_statements

COUNTS_TABLE = "case_board_counts"
# The board's columns, as stored in the counts ('' for NULL in the nullable ones).
KEYS = ("state_category", "queue", "kind", "assignee")
NULLABLE = frozenset({"queue", "assignee"})
# The table as queries see it.
COUNTS = table(COUNTS_TABLE, column("cases"), *(column(k) for k in KEYS))
_WATCHED = ("deleted_at", *KEYS)


SQLITE_CREATE, SQLITE_DROP = sqlite_counts(
    COUNTS_TABLE,
    "  state_category TEXT NOT NULL, queue TEXT NOT NULL, kind TEXT NOT NULL, assignee TEXT NOT NULL,",
    [key_value(k, k in NULLABLE) for k in KEYS], _WATCHED)

POSTGRESQL_INDEX = "ix_cases_open_queue_assignee"

BOARD_ONLY_NAMES = frozenset({COUNTS_TABLE, f"sqlite_autoindex_{COUNTS_TABLE}_1", POSTGRESQL_INDEX})


def attach(metadata: MetaData) -> None:
    """Create the counts and their triggers (SQLite) or the index (PostgreSQL) after every table
    (``metadata.create_all``)."""
    from .tables import OPEN_CASES  # ``tables`` attaches this module once it holds the condition

    postgresql = (f"CREATE INDEX {POSTGRESQL_INDEX} ON cases (queue, assignee) WHERE {OPEN_CASES}",)
    attach_statements(metadata, {"sqlite": SQLITE_CREATE, "postgresql": postgresql}, {"sqlite": SQLITE_DROP})
