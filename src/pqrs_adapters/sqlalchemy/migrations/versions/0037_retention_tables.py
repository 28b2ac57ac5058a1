"""``retention_versions``: every version of the retention-table rule (TRD: series code, years in the
office and central archives, final disposition; Ley 594 de 2000 art. 24, Acuerdo 004 de 2019 AGN) of a
kind of case (``kind:<code>``) or a typification node (``typification:<code>``). A version whose
``definition`` is NULL removes the scope's rule from then on.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "retention_versions",
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", _JSON, nullable=True),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "version", name="pk_retention_versions"),
    )


def downgrade() -> None:
    op.drop_table("retention_versions")
