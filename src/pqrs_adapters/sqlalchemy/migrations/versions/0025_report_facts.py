"""``case_report_facts``: what reports read of each case beside its snapshot (transfers, extensions,
withdrawals, incomplete petitions, the last responder and queue, access denied), filled from the events
of the cases already stored.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _events(kind: str) -> str:
    return f"FROM case_events e WHERE e.case_id = c.id AND e.type = '{kind}'"


# The facts of the cases already stored, from their events; the level of a past response is read from
# the queue the case is in now (the events did not record it).
BACKFILL = f"""INSERT INTO case_report_facts
  (case_id, extensions, transfers, withdrawn, incomplete, responder, responder_queue, access_denied)
SELECT c.id,
  (SELECT count(*) {_events('TermExtended')}),
  (SELECT count(*) {_events('CaseTransferred')}),
  EXISTS (SELECT 1 {_events('PetitionWithdrawn')}),
  EXISTS (SELECT 1 {_events('CompletionRequested')}),
  (SELECT e.actor {_events('CaseResponded')} ORDER BY e.seq DESC LIMIT 1),
  CASE WHEN EXISTS (SELECT 1 {_events('CaseResponded')}) THEN c.queue END,
  false
FROM cases c"""


def upgrade() -> None:
    op.create_table(
        "case_report_facts",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("transfers", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.Column("responder", sa.String(), nullable=True),
        sa.Column("responder_queue", sa.String(), nullable=True),
        sa.Column("access_denied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_report_facts_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_report_facts"),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("case_report_facts")
