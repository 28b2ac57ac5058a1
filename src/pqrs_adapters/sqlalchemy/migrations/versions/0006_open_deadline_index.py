"""The inbox index: ``ix_cases_open_deadline`` on ``cases (queue, due_at)``, partial: only the open cases
(not done, not deleted). An agent's inbox (the open cases of their queues, soonest deadline first)
then reads its first page from the index instead of sorting every open case of the queue.

On a large PostgreSQL table ``CREATE INDEX`` blocks writes to ``cases`` while it runs (about a second
per 100,000 cases); run the upgrade in a quiet moment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``tables.OPEN_CASES`` holds the same text.
OPEN_CASES = "state_category <> 'done' AND deleted_at IS NULL"


def upgrade() -> None:
    op.create_index("ix_cases_open_deadline", "cases", ["queue", "due_at"],
                    sqlite_where=sa.text(OPEN_CASES), postgresql_where=sa.text(OPEN_CASES))


def downgrade() -> None:
    op.drop_index("ix_cases_open_deadline", table_name="cases")
