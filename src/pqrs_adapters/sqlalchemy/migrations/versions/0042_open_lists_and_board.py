"""Open lists without a queue and the board at a million cases (issue 19).

Partial indexes over the open cases (not done, not deleted), for the lists that name no queue: the
API's default order (newest first) over every open case or one state category, and the deadline order
of every open case or one category (each column of the board): running cases by deadline, paused ones
by what they have left. Each holds only the open cases, a small share of a store. And one index of
the cases not deleted by category and latest change, for the board's resolved column (and, on
PostgreSQL, its counts).

SQLite only: ``case_board_counts``, the board's counts per state category, queue, kind and assignee,
kept by triggers (see ``board_schema``), filled here from the cases already stored.

On a large PostgreSQL table ``CREATE INDEX`` blocks writes to ``cases`` while it runs; run the upgrade
in a quiet moment.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.migrate import analyze_indexes

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``tables`` and ``board_schema`` hold the same text.
OPEN_CASES = "state_category <> 'done' AND deleted_at IS NULL"
INDEXES = {
    "ix_cases_open_newest": ["filing_year", "filing_seq", "filing_number"],
    "ix_cases_open_category_newest": ["state_category", "filing_year", "filing_seq", "filing_number"],
    "ix_cases_open_due": ["due_at"],
    "ix_cases_open_category_due": ["state_category", "due_at"],
    "ix_cases_open_paused": ["paused_left_unit", "paused_left"],
    "ix_cases_open_category_paused": ["state_category", "paused_left_unit", "paused_left"],
}
# The cases not deleted of one category by the latest change (the board's resolved column; PostgreSQL
# counts the board's columns from it alone).
CATEGORY_UPDATED = ["state_category", "updated_at"]
NOT_DELETED = "deleted_at IS NULL"
COLUMNS = "state_category, queue, kind, assignee"
NEW = "new.state_category, coalesce(new.queue, ''), new.kind, coalesce(new.assignee, '')"
OLD = ("state_category = old.state_category AND queue = coalesce(old.queue, '') AND kind = old.kind "
       "AND assignee = coalesce(old.assignee, '')")
ADD = (f"INSERT INTO case_board_counts ({COLUMNS}, cases) SELECT {NEW}, 1 WHERE new.deleted_at IS NULL "
       f"ON CONFLICT ({COLUMNS}) DO UPDATE SET cases = cases + 1;")
REMOVE = f"UPDATE case_board_counts SET cases = cases - 1 WHERE old.deleted_at IS NULL AND {OLD};"
WATCHED = ("deleted_at", "state_category", "queue", "kind", "assignee")
CHANGED = " OR ".join(f"old.{k} IS NOT new.{k}" for k in WATCHED)
SQLITE_CREATE = (
    f"""CREATE TABLE case_board_counts (
  state_category TEXT NOT NULL, queue TEXT NOT NULL, kind TEXT NOT NULL, assignee TEXT NOT NULL,
  cases INTEGER NOT NULL,
  PRIMARY KEY ({COLUMNS})
)""",
    f"CREATE TRIGGER case_board_counts_insert AFTER INSERT ON cases BEGIN\n  {ADD}\nEND",
    f"CREATE TRIGGER case_board_counts_update AFTER UPDATE OF {', '.join(WATCHED)} ON cases\n"
    f"WHEN {CHANGED} BEGIN\n  {REMOVE}\n  {ADD}\nEND",
    f"CREATE TRIGGER case_board_counts_delete AFTER DELETE ON cases BEGIN\n  {REMOVE}\nEND",
    f"INSERT INTO case_board_counts ({COLUMNS}, cases) SELECT state_category, coalesce(queue, ''), kind, "
    "coalesce(assignee, ''), count(*) FROM cases WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4",
)


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns, sqlite_where=sa.text(OPEN_CASES),
                        postgresql_where=sa.text(OPEN_CASES))
    op.create_index("ix_cases_category_updated", "cases", CATEGORY_UPDATED, sqlite_where=sa.text(NOT_DELETED),
                    postgresql_where=sa.text(NOT_DELETED))
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            op.execute(statement)
        # Without figures for the new indexes SQLite would sort every open case by an older one.
        analyze_indexes(op.get_bind(), *INDEXES, "ix_cases_category_updated")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for what in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER case_board_counts_{what}")
        op.execute("DROP TABLE case_board_counts")
    for name in (*INDEXES, "ix_cases_category_updated"):
        op.drop_index(name, table_name="cases")
