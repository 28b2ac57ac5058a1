"""The organisation's own settings kept with the catalog: ``organisation_settings`` (one row per key,
a JSON value). The first is ``working_weekdays``, whether Saturday is a business day, chosen at
``pqrs init`` or in the administration; until a row exists the environment's default applies, so
existing installations count exactly as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_settings",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_organisation_settings"),
    )


def downgrade() -> None:
    op.drop_table("organisation_settings")
