"""Official letters: ``users.job_title``, the person's role in the organisation (cargo) printed under
their signature; ``cases.pending_response``, a response drafted and waiting for a second person's
approval (JSON, NULL while none waits).

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("job_title", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("pending_response",
                                     sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN pending_response")
    op.execute("ALTER TABLE users DROP COLUMN job_title")
