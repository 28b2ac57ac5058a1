"""``signed_documents``: the signed letters by verification code (``/verificar/<code>``).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signed_documents",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("filing_numbers", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signer", sa.String(), nullable=False),
        sa.Column("signer_role", sa.String(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attachment_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_signed_documents_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code", name="pk_signed_documents"),
    )
    op.create_index("ix_signed_documents_case_id", "signed_documents", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_signed_documents_case_id", table_name="signed_documents")
    op.drop_table("signed_documents")
