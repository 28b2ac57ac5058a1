"""SQLite: the volume, who-resolved and productivity counts stored in their key's order.

``case_report_day_counts``, ``case_report_month_counts`` (migration 0040), ``case_event_day_counts`` and
``case_event_time_counts`` (0043) were tables with a row id and an index on their key, as the counts by
the term's status were before migration 0048: the triggers add cells in the order cases come, so a
report read a range of the key's index, then each cell's row by its row id. Stored ``WITHOUT ROWID``
the table is its key's B-tree and a range of days or months is read in one pass (at 100,000 cases the
who-resolved report of a quarter went from 10 to 4–6 ms, productivity from 66–69 to 49–51).

Each table is built again in the new form with its cells. The triggers that write into it are dropped
first and made again after from their own stored text, so they stay exactly as the store had them.
Nothing on PostgreSQL, whose tables have no such form (migration 0049 makes their keys covering).

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from pqrs_adapters.sqlalchemy.migrate import rebuild_sqlite_tables

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("case_report_day_counts", "case_report_month_counts", "case_event_day_counts",
          "case_event_time_counts")


def _rebuild(clustered: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        rebuild_sqlite_tables(bind, TABLES, clustered=clustered)


def upgrade() -> None:
    _rebuild(clustered=True)


def downgrade() -> None:
    _rebuild(clustered=False)
