"""Quality review of closed cases: when the current resolution was last reviewed and its score, with an
index for listing the closed cases still to review.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("quality_reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("quality_score", sa.Integer(), nullable=True))
    op.create_index("ix_cases_closed_review", "cases", ["state_category", "quality_reviewed_at", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_closed_review", table_name="cases")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding ``cases`` would lose its search triggers.
    op.execute("ALTER TABLE cases DROP COLUMN quality_score")
    op.execute("ALTER TABLE cases DROP COLUMN quality_reviewed_at")
