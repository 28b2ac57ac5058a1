"""Proof of notification: ``cases.deliveries``, every step of how each communication reached the
requester (e-mail sent or bounced, read in the portal, delivered in person, by courier, aviso), as JSON
(NULL: none); ``cases.notified_at``, when the current answer counts as notified (the instant the legal
term is measured against, CPACA arts. 56 and 67-69); ``cases.notice_from`` and ``notice_until``, the
business days the answer's aviso is published on the website (art. 69), indexed for ``/avisos``.
Cases stored before have no step recorded: they read as not notified.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
    op.add_column("cases", sa.Column("deliveries", json, nullable=True))
    op.add_column("cases", sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("notice_from", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("notice_until", sa.Date(), nullable=True))
    op.create_index("ix_cases_notice_until", "cases", ["notice_until"])


def downgrade() -> None:
    op.drop_index("ix_cases_notice_until", table_name="cases")
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    for name in ("notice_until", "notice_from", "notified_at", "deliveries"):
        op.execute(f"ALTER TABLE cases DROP COLUMN {name}")
