"""Official letters: ``users.job_title``, the person's role in the organisation (cargo) printed under
their signature; ``cases.pending_response``, a response drafted and waiting for a second person's
approval (JSON, NULL while none waits); ``letter_templates``, every version of the letters' HTML and
CSS template as administrators edit it. The administrator's role, and the supervisor's while an
administrator has not edited it, get the new permission to approve responses (``letters.approve``), as
new installations give it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
APPROVE = "letters.approve"


def upgrade() -> None:
    op.add_column("users", sa.Column("job_title", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("pending_response",
                                     sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True))
    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False),
        sa.Column("restored", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_letter_templates"),
    )
    _grant_approval()


def _grant_approval() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    roles = sa.table("roles", sa.column("code", sa.String()), sa.column("permissions", json),
                     sa.column("source", sa.String()))
    bind = op.get_bind()
    chosen = sa.select(roles.c.code, roles.c.permissions, roles.c.source).where(
        roles.c.code.in_(("admin", "supervisor")))
    for code, permissions, source in bind.execute(chosen).all():
        listed = list(permissions or [])
        if APPROVE in listed or (code == "supervisor" and source == "admin"):
            continue
        granted = sorted([*listed, APPROVE])
        bind.execute(roles.update().where(roles.c.code == code).values(permissions=granted))


def downgrade() -> None:
    op.drop_table("letter_templates")
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN pending_response")
    op.execute("ALTER TABLE users DROP COLUMN job_title")
