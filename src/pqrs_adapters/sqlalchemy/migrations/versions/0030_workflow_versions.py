"""Workflow versions:

- ``workflow_versions``: every saved version of each workflow (the workflows stored so far become their
  version 1), so a case moves by the version it was filed under;
- ``cases.workflow_version``: that version (1 for the cases filed before).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "workflow_versions",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", _JSON, nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", "version", name="pk_workflow_versions"),
    )
    op.execute("INSERT INTO workflow_versions (code, version, definition, source) "
               "SELECT code, 1, definition, source FROM workflows")
    op.add_column("cases", sa.Column("workflow_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN workflow_version")
    op.drop_table("workflow_versions")
