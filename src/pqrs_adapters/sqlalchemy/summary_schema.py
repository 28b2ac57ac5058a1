"""What makes the summary report fast at a million cases: SQLite's monthly counts, PostgreSQL's covering
index and statistics.

SQLite groups a year of cases (a third of a million rows at a million cases) by the eight columns of
the summary report in more than a second, even from a covering index: the grouping itself is the cost.
So on SQLite, triggers keep ``case_month_counts``: how many cases not deleted there are for each month
of filing (UTC, ``YYYY-MM``) and each combination of those columns (NULL stored as ``''``). A case
inserted adds one; an update of any of those columns (or of ``filed_at`` or ``deleted_at``) moves its
one from the old combination to the new; a delete removes it. Every writer (the repository, the bulk
import, the sweep) is covered by the database itself. ``case_queries.summarize_cases`` reads the whole
months of a report from here and only the partial months at its edges from ``cases``.

PostgreSQL has no such table: its triggers would make every filing of a month and kind update the same
row, serialising concurrent writers on it; it groups the cases themselves, in parallel, from
``ix_cases_summary`` (the filing instant with the eight columns included, so that the rows are not read:
an index-only scan) with a hash table, because ``cases_summary_groups`` tells the planner how few
combinations of the eight columns there are (without it the planner expected one group per two cases,
sorted a third of a million rows on disk and took 2.3 s at a million cases; with both, 0.18 s).

``attach`` creates these objects with ``metadata.create_all``; migrations ``0008`` (SQLite) and ``0009``
(PostgreSQL) repeat them literally, the first filling the table from the cases already stored.
"""

from __future__ import annotations

from sqlalchemy import MetaData, column, table

from .count_triggers import key_value, sqlite_counts
from .schema_statements import attach_statements

COUNTS_TABLE = "case_month_counts"
# The summary's columns, as stored in the counts ('' for NULL in the nullable ones).
KEYS = ("state_category", "state", "kind", "priority", "channel", "typification_code",
        "typification_path_codes", "first_contact_resolution")
# The table as queries see it.
COUNTS = table(COUNTS_TABLE, column("month"), column("cases"), *(column(k) for k in KEYS))
_NULLABLE = frozenset({"priority", "channel", "typification_code", "typification_path_codes"})
_WATCHED = ("filed_at", "deleted_at", *KEYS)


SQLITE_CREATE, SQLITE_DROP = sqlite_counts(
    COUNTS_TABLE,
    """  month TEXT NOT NULL, state_category TEXT NOT NULL, state TEXT NOT NULL, kind TEXT NOT NULL,
  priority TEXT NOT NULL, channel TEXT NOT NULL, typification_code TEXT NOT NULL,
  typification_path_codes TEXT NOT NULL, first_contact_resolution BOOLEAN NOT NULL,""",
    [("month", "strftime('%Y-%m', {row}.filed_at)"), *(key_value(k, k in _NULLABLE) for k in KEYS)],
    _WATCHED)

POSTGRESQL_CREATE = (
    f"CREATE STATISTICS cases_summary_groups (ndistinct) ON {', '.join(KEYS)} FROM cases",
    f"CREATE INDEX ix_cases_summary ON cases (filed_at) INCLUDE ({', '.join(KEYS)}) WHERE deleted_at IS NULL",
)

SUMMARY_ONLY_NAMES = frozenset({COUNTS_TABLE, f"sqlite_autoindex_{COUNTS_TABLE}_1", "ix_cases_summary"})


def attach(metadata: MetaData) -> None:
    """Create the counts and their triggers after every table (``metadata.create_all``); PostgreSQL's
    index and statistics go with the table."""
    attach_statements(metadata, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE},
                      {"sqlite": SQLITE_DROP})
