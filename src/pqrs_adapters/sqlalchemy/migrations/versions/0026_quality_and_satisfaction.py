"""Satisfaction, root causes and handling times (reports of quality and productivity):

- ``satisfaction_answers``: the requester's answer to the survey sent with a response, one per case.

Revision ID: 0026
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "satisfaction_answers",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("responder", sa.String(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name="pk_satisfaction_answers"),
    )
    op.create_index("ix_satisfaction_answers_answered_at", "satisfaction_answers", ["answered_at"])


def downgrade() -> None:
    op.drop_table("satisfaction_answers")
