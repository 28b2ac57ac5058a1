"""Items involved in cases (invoice lines): ``cases.items``, each item with what the ERP said of it
(JSON, NULL: none), and ``case_items``, one row per item by the folded keys of its lot, product and
invoice, indexed so that every case of a lot or a product (a recall) is found without reading the cases.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("items", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                     nullable=True))
    op.create_table(
        "case_items",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("invoice_key", sa.String(), nullable=False),
        sa.Column("product_key", sa.String(), nullable=False),
        sa.Column("lot_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_items_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "item_id", name="pk_case_items"),
    )
    op.create_index("ix_case_items_lot_key_case_id", "case_items", ["lot_key", "case_id"])
    op.create_index("ix_case_items_product_key_case_id", "case_items", ["product_key", "case_id"])
    op.create_index("ix_case_items_invoice_key_case_id", "case_items", ["invoice_key", "case_id"])


def downgrade() -> None:
    op.drop_table("case_items")
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN items")
