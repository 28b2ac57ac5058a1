"""The open corrective actions read from an index that holds only the cases with one.

``ix_cases_corrective_actions`` was ``(action_done_at, action_due)`` over every case. The corrective
actions (the dashboard's widget, the causes page) ask for ``corrective_action IS NOT NULL AND
action_done_at IS NULL``, and every case without an action has ``action_done_at`` NULL too: the planner
read the index entries of every such case, and each case's row to test for an action (200 ms at
100,000 cases, none of which had an action). The index is now partial, holding only the cases with a
corrective action, with the filing number's order after the due date, as the list sorts.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.migrate import analyze_indexes

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``tables`` holds the same.
NAME = "ix_cases_corrective_actions"
COLUMNS = ["action_done_at", "action_due", "filing_year", "filing_seq"]
WITH_ACTION = "corrective_action IS NOT NULL"


def upgrade() -> None:
    op.drop_index(NAME, table_name="cases")
    op.create_index(NAME, "cases", COLUMNS, sqlite_where=sa.text(WITH_ACTION),
                    postgresql_where=sa.text(WITH_ACTION))
    analyze_indexes(op.get_bind(), NAME)


def downgrade() -> None:
    op.drop_index(NAME, table_name="cases")
    op.create_index(NAME, "cases", ["action_done_at", "action_due"])
    analyze_indexes(op.get_bind(), NAME)
