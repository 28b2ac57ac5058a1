"""The end of a case's term: ``cases.term_ended_at``, set when the case enters a done state
(``TermEnded``) and cleared when it is reopened. Cases already done read as ended at their response,
or else their closing or last change, so no finished term turns overdue.

Revision ID: 0012
Revises: 0011
Create Date: 2026-03-20
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("term_ended_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE cases SET term_ended_at = COALESCE(responded_at, closed_at, updated_at) "
               "WHERE state_category = 'done'")


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN term_ended_at")
