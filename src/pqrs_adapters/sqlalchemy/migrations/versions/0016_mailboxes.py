"""The mailboxes mail is received at: ``mailboxes`` (address, IMAP URL, user, a reference to the
credential, the defaults of the cases filed from it, on/off, what to do with processed mail) and the
fetcher's state per mailbox (UIDVALIDITY, last UID processed, last fetch and last error).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mailboxes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("imap_url", sa.String()),
        sa.Column("username", sa.String()),
        sa.Column("credential", sa.String()),
        sa.Column("kind", sa.String()),
        sa.Column("queue", sa.String()),
        sa.Column("typification", sa.String()),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("processed_folder", sa.String()),
        sa.Column("processed_keyword", sa.String()),
        sa.Column("uidvalidity", sa.BigInteger()),
        sa.Column("last_uid", sa.BigInteger()),
        sa.Column("last_fetch_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mailboxes"),
        sa.UniqueConstraint("address", name="uq_mailboxes_address"),
    )


def downgrade() -> None:
    op.drop_table("mailboxes")
