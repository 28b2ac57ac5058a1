"""SQLite: the counts by the term's status and the answer times stored in their key's order.

``case_term_day_counts``, ``case_term_month_counts`` and ``case_answer_time_counts`` (migration 0045)
were tables with a row id and an index on their key. The triggers add their cells in the order cases
are filed and answered, so the cells of one month lay all over the table: a report read the month's
range of the index, then each cell's row by its row id. At 1,000,000 cases the timeliness report's
87,363 answer-time cells of a quarter took 143 ms to count that way and 350 ms to read. Stored
``WITHOUT ROWID`` the table is its key's B-tree: the cells of a month are read in one pass (19 ms to
count them).

Each table is built again in the new form with its cells; the triggers that write them are dropped
first and made again after from their own stored text, so they stay exactly as the store had them.
Nothing on PostgreSQL, whose tables have no such form.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from pqrs_adapters.sqlalchemy.migrate import rebuild_sqlite_tables
from pqrs_adapters.sqlalchemy.term_count_schema import TALLIES

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(clustered: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        rebuild_sqlite_tables(bind, [t.table for t in TALLIES], clustered=clustered)


def upgrade() -> None:
    _rebuild(clustered=True)


def downgrade() -> None:
    _rebuild(clustered=False)
