"""Public filing: the requester's consent to the processing of their personal data recorded with each
case (Ley 1581 de 2012 arts. 9 and 17 b), and the attempt counters behind the public pages' rate limits,
shared by every worker on every host.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSENT_COLUMNS = ("consent_given_at", "consent_notice_version", "consent_notice_digest", "consent_channel")


def upgrade() -> None:
    # Plain ADD COLUMN (nullable), also on SQLite: a batch copy of ``cases`` would drop its search
    # triggers.
    op.add_column("cases", sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("consent_notice_version", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("consent_notice_digest", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("consent_channel", sa.String(), nullable=True))
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "subject", "window_start", name="pk_rate_limits"),
    )
    op.create_index("ix_rate_limits_window_start", "rate_limits", ["window_start"])


def downgrade() -> None:
    op.drop_table("rate_limits")
    if op.get_bind().dialect.name == "sqlite":
        for column in CONSENT_COLUMNS:  # SQLite ≥ 3.35 drops a plain column in place
            op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
    else:
        for column in CONSENT_COLUMNS:
            op.drop_column("cases", column)
