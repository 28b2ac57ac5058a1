"""A case «con tercero»: ``cases.third_party`` (``Case.third_party``), the outside party the case was
escalated to and waits for, as JSON (``{"address", "name", "since", "escalated_by", "pauses_term"}``);
NULL while no third party holds the case. Existing cases were never escalated, so NULL is right for
all of them.

Revision ID: 0017
Revises: 0016 (0014 on its own branch)
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("third_party", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                     nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN third_party")
