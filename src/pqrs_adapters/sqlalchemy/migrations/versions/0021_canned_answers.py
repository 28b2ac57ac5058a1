"""Canned answers and macros: ``canned_answers`` (title, body with variables, the typification nodes and
case kinds each is for, owner of a personal one, on/off, what a macro also changes, usage count).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NULLABLE_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "canned_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("typifications", JSON, nullable=False),
        sa.Column("kinds", JSON, nullable=False),
        sa.Column("owner", sa.String()),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("macro", NULLABLE_JSON),
        sa.Column("usage_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_canned_answers"),
    )
    op.create_index("ix_canned_answers_owner", "canned_answers", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_canned_answers_owner", table_name="canned_answers")
    op.drop_table("canned_answers")
