"""``voidings``: requests to void (anular) a case or an outgoing filing number, and the numbered
voiding records (``AN-2026-000001``) they become once a second person approves them. Voiding replaces
deleting: the record stays stored (Ley 594 de 2000). The administrator's role, and the supervisor's
while an administrator has not edited it, get the new permissions to approve voidings
(``voiding.approve``) and to read voided cases (``case.audit``), as new installations give them.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANTED = ("voiding.approve", "case.audit")
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "voidings",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("target_kind", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("requester_roles", _JSON, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("number", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_voidings"),
        sa.UniqueConstraint("number", name="uq_voidings_number"),
    )
    op.create_index("ix_voidings_status_requested_at", "voidings", ["status", "requested_at"])
    op.create_index("ix_voidings_target", "voidings", ["target_kind", "target"])
    op.create_index("uq_voidings_pending_target", "voidings", ["target_kind", "target"], unique=True,
                    sqlite_where=_PENDING, postgresql_where=_PENDING)
    _grant()


def _grant() -> None:
    roles = sa.table("roles", sa.column("code", sa.String()), sa.column("permissions", _JSON),
                     sa.column("source", sa.String()))
    bind = op.get_bind()
    chosen = sa.select(roles.c.code, roles.c.permissions, roles.c.source).where(
        roles.c.code.in_(("admin", "supervisor")))
    for code, permissions, source in bind.execute(chosen).all():
        listed = list(permissions or [])
        missing = [p for p in GRANTED if p not in listed]
        if not missing or (code == "supervisor" and source == "admin"):
            continue
        granted = sorted([*listed, *missing])
        bind.execute(roles.update().where(roles.c.code == code).values(permissions=granted))


def downgrade() -> None:
    op.drop_table("voidings")  # its indexes go with it
