"""In-app notifications for the staff and what each person has seen:

- ``staff_notifications``: the notifications of the outbox that are meant for the staff (a case
  assigned, a requester's reply, a term alarm, a mention in a note...), written in the same transaction,
  kept for the bell in the header; ``recipient`` is the outbox's (``user:``, ``queue:``, ``role:``);
- ``notification_reads``: who has read which of them;
- ``case_views``: the version of each case each person last saw, for the inbox's «activity you have not
  seen» marker.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("context", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_notifications"),
        sa.UniqueConstraint("key", name="uq_staff_notifications_key"),
    )
    op.create_index("ix_staff_notifications_recipient_id", "staff_notifications", ["recipient", "id"])
    op.create_table(
        "notification_reads",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "notification_id", name="pk_notification_reads"),
    )
    op.create_table(
        "case_views",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("seen_version", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "case_id", name="pk_case_views"),
    )


def downgrade() -> None:
    op.drop_table("case_views")
    op.drop_table("notification_reads")
    op.drop_table("staff_notifications")  # its index goes with it
