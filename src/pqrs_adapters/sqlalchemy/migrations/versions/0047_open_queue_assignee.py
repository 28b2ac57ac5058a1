"""PostgreSQL: the open cases by queue and assignee, an index the supervisor's counts read alone.

The menu counts the cases a supervisor is to hand out on every page (open, of their queues, with no
assignee), and the dashboard counts each person's open cases. SQLite reads both from the board's counts
(``case_board_counts``, migration 0042); PostgreSQL keeps no counts (every filing would update the same
row) and read every open case's row for them: at 1,000,000 cases about 215 ms for each count of the
unassigned cases (twice on the dashboard: the widget and the menu) and 224 ms for the load per person.
This partial index holds the open cases' queue and assignee only, so both counts are index-only scans.
Nothing on SQLite.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``board_schema`` holds the same.
NAME = "ix_cases_open_queue_assignee"
CREATE = (f"CREATE INDEX {NAME} ON cases (queue, assignee) "
          "WHERE state_category <> 'done' AND deleted_at IS NULL")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {NAME}")
