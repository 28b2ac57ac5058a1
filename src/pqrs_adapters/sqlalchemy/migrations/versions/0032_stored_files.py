"""``stored_files`` and ``stored_file_chunks``: attachments kept in the database
(``PQRS_FILE_STORE=database``), so that every host serving the same database serves the same files.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_stored_files"),
    )
    op.create_table(
        "stored_file_chunks",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["key"], ["stored_files.key"], name="fk_stored_file_chunks_key_stored_files",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "seq", name="pk_stored_file_chunks"),
    )


def downgrade() -> None:
    op.drop_table("stored_file_chunks")
    op.drop_table("stored_files")
