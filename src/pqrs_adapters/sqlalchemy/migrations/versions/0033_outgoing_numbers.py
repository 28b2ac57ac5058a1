"""Outgoing filing numbers (radicados de salida): ``outgoing_series`` (the format of each kind of
communication), ``outgoing_sequences`` (one counter per series and year) and ``outgoing_numbers`` (every
number handed out, with its case); ``cases.external_source`` and ``cases.external_number``: the
number another system gave a document filed there first.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing_series",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name="pk_outgoing_series"),
    )
    op.create_table(
        "outgoing_sequences",
        sa.Column("series", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name="pk_outgoing_sequences"),
    )
    op.create_table(
        "outgoing_numbers",
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("number_key", sa.String(), nullable=False),
        sa.Column("series", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_outgoing_numbers"),
        sa.UniqueConstraint("number_key", name="uq_outgoing_numbers_number_key"),
    )
    op.create_index("ix_outgoing_numbers_case_id", "outgoing_numbers", ["case_id"])
    # Incoming documents filed first by another system keep that system's number, unique per system.
    op.add_column("cases", sa.Column("external_source", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("external_number", sa.String(), nullable=True))
    op.create_index("ix_cases_external_source_external_number", "cases",
                    ["external_source", "external_number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_cases_external_source_external_number", table_name="cases")
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): the table, its triggers and indexes stay.
    op.drop_column("cases", "external_number")
    op.drop_column("cases", "external_source")
    op.drop_index("ix_outgoing_numbers_case_id", table_name="outgoing_numbers")
    op.drop_table("outgoing_numbers")
    op.drop_table("outgoing_sequences")
    op.drop_table("outgoing_series")
