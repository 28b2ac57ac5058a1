"""Satisfaction, root causes and handling times (reports of quality and productivity):

- ``satisfaction_answers``: the requester's answer to the survey sent with a response, one per case;
- ``cases``: the root cause of the resolution, the area responsible, and the corrective action (what,
  who, by when, when it was done), with an index for the list of open corrective actions;
- ``case_events``: an index by type and instant, for the productivity report (filings, typifications,
  responses and closings of a period, with the handling times their events carry).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "satisfaction_answers",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("responder", sa.String(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name="pk_satisfaction_answers"),
    )
    op.create_index("ix_satisfaction_answers_answered_at", "satisfaction_answers", ["answered_at"])
    for name, kind in _CASE_COLUMNS:
        op.add_column("cases", sa.Column(name, kind, nullable=True))
    op.create_index("ix_cases_corrective_actions", "cases", ["action_done_at", "action_due"])
    op.create_index("ix_case_events_type_occurred_at", "case_events", ["type", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_case_events_type_occurred_at", table_name="case_events")
    op.drop_index("ix_cases_corrective_actions", table_name="cases")
    for name, _kind in reversed(_CASE_COLUMNS):
        op.execute(f"ALTER TABLE cases DROP COLUMN {name}")
    op.drop_table("satisfaction_answers")


_CASE_COLUMNS = (("root_cause", sa.String()), ("cause_area", sa.String()), ("corrective_action", sa.Text()),
                 ("action_owner", sa.String()), ("action_due", sa.Date()),
                 ("action_done_at", sa.DateTime(timezone=True)))
