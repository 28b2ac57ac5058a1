"""The e-mail intake: ``mail_intake`` logs every message received (and makes receiving it again a
no-op: one row per Message-ID), ``case_mail_threads`` keeps each case's reply-address token, the
requester's first Message-ID and the requester address that bounced.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_intake",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_key", sa.String(), nullable=False),
        sa.Column("message_id", sa.String()),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mailbox", sa.String()),
        sa.Column("source", sa.String()),
        sa.Column("from_address", sa.String()),
        sa.Column("subject", sa.String()),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("filing_number", sa.String()),
        sa.Column("raw_sha256", sa.String(), nullable=False),
        sa.Column("raw_key", sa.String()),
        sa.PrimaryKeyConstraint("id", name="pk_mail_intake"),
        sa.UniqueConstraint("message_key", name="uq_mail_intake_message_key"),
    )
    op.create_index("ix_mail_intake_received_at", "mail_intake", ["received_at"])
    op.create_index("ix_mail_intake_outcome_received_at", "mail_intake", ["outcome", "received_at"])
    op.create_table(
        "case_mail_threads",
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("reply_token", sa.String(), nullable=False),
        sa.Column("mailbox", sa.String()),
        sa.Column("first_message_id", sa.String()),
        sa.Column("failing_address", sa.String()),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        sa.Column("failing_reason", sa.Text()),
        sa.PrimaryKeyConstraint("filing_number", name="pk_case_mail_threads"),
        sa.UniqueConstraint("reply_token", name="uq_case_mail_threads_reply_token"),
    )


def downgrade() -> None:
    op.drop_table("case_mail_threads")
    op.drop_index("ix_mail_intake_outcome_received_at", table_name="mail_intake")
    op.drop_index("ix_mail_intake_received_at", table_name="mail_intake")
    op.drop_table("mail_intake")
