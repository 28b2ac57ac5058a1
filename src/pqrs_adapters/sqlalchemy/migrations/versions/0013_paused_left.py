"""What a paused term has left: ``cases.paused_left`` and ``cases.paused_left_unit`` (``Case.paused_left``),
and ``ix_cases_open_paused_left`` on ``cases (queue, paused_left_unit, paused_left)`` for the open cases,
so that an inbox sorted by deadline reads its paused cases by the time they have left.

The amount is counted on the organisation's business calendar (its time zone, working days and hours,
holidays and closures), which is configuration a migration does not have: cases paused before this
revision keep NULL, and the listings derive what they have left from their deadline and the start of
their pause until they are next saved.

Revision ID: 0013
Revises: 0012
Create Date: 2026-03-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``tables.OPEN_CASES`` holds the same text.
OPEN_CASES = "state_category <> 'done' AND deleted_at IS NULL"


def upgrade() -> None:
    op.add_column("cases", sa.Column("paused_left", sa.BigInteger(), nullable=True))
    op.add_column("cases", sa.Column("paused_left_unit", sa.String(), nullable=True))
    op.create_index("ix_cases_open_paused_left", "cases", ["queue", "paused_left_unit", "paused_left"],
                    sqlite_where=sa.text(OPEN_CASES), postgresql_where=sa.text(OPEN_CASES))


def downgrade() -> None:
    op.drop_index("ix_cases_open_paused_left", table_name="cases")
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN paused_left_unit")
    op.execute("ALTER TABLE cases DROP COLUMN paused_left")
