"""Assignment strategies: ``queue_assignment`` (strategy, cap, round-robin pointer per queue),
``agent_profiles`` (skills, working weekdays, cap per person) and ``agent_absences``; internal requests
(solicitudes internas) on ``cases``: ``internal_requests`` and ``pending_request_queues``.

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json(nullable: bool = False) -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=nullable).with_variant(postgresql.JSONB(none_as_null=nullable), "postgresql")


def upgrade() -> None:
    op.create_table(
        "queue_assignment",
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("strategy", sa.String(), nullable=False),
        sa.Column("cap", sa.Integer()),
        sa.Column("last_assignee", sa.String()),
        sa.PrimaryKeyConstraint("queue", name="pk_queue_assignment"),
    )
    op.create_table(
        "agent_profiles",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("typifications", _json(), nullable=False),
        sa.Column("kinds", _json(), nullable=False),
        sa.Column("languages", _json(), nullable=False),
        sa.Column("working_weekdays", _json(nullable=True)),
        sa.Column("cap", sa.Integer()),
        sa.ForeignKeyConstraint(["username"], ["users.username"], ondelete="CASCADE",
                                name="fk_agent_profiles_username_users"),
        sa.PrimaryKeyConstraint("username", name="pk_agent_profiles"),
    )
    op.create_table(
        "agent_absences",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["username"], ["users.username"], ondelete="CASCADE",
                                name="fk_agent_absences_username_users"),
        sa.PrimaryKeyConstraint("id", name="pk_agent_absences"),
    )
    op.create_index("ix_agent_absences_user", "agent_absences", ["username", "ends"])
    op.add_column("cases", sa.Column("internal_requests", _json(nullable=True), nullable=True))
    op.add_column("cases", sa.Column("pending_request_queues", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN pending_request_queues")
    op.execute("ALTER TABLE cases DROP COLUMN internal_requests")
    op.drop_index("ix_agent_absences_user", table_name="agent_absences")
    op.drop_table("agent_absences")
    op.drop_table("agent_profiles")
    op.drop_table("queue_assignment")
