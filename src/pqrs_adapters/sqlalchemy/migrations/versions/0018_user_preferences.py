"""What the application remembers for each person: ``user_preferences`` (one row per person and key,
a JSON value). The first is the inbox view the person last opened, where the inbox opens next time.
And an index on ``cases.filing_seq``: a search for «282» finds PQRS-2026-000282 (and the same number
of any other year or prefix) without reading every case.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.ForeignKeyConstraint(["username"], ["users.username"], ondelete="CASCADE",
                                name="fk_user_preferences_username_users"),
        sa.PrimaryKeyConstraint("username", "key", name="pk_user_preferences"),
    )
    op.create_index("ix_cases_filing_seq", "cases", ["filing_seq"])


def downgrade() -> None:
    op.drop_index("ix_cases_filing_seq", table_name="cases")
    op.drop_table("user_preferences")
