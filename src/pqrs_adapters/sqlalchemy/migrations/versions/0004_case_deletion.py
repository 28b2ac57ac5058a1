"""Case deletion: ``cases.deleted_at``, set when an administrator deletes a case (``CaseDeleted``). The
row and its history stay; every listing, search, report and count leaves it out.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (SQLite ≥ 3.35 drops a column in place; a batch copy of
    # ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN deleted_at")
