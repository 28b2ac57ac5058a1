"""PostgreSQL: the counts by the term's status and the answer times read from their keys alone.

The primary keys of ``case_term_day_counts``, ``case_term_month_counts`` and
``case_answer_time_counts`` (migration 0045) now hold each cell's number of cases too (``INCLUDE
(cases)``), so that a range of days or months is an index-only scan: the key's entries of the range,
not the table's pages. The triggers add cells in the order cases are filed and answered, so a month's
cells lie all over the table; at 100,000 cases PostgreSQL read the whole answer-time table (4,665
pages) for a quarter's 10,500 cells, and 179 pages of the key once it held the cases.

Each key is made again with the same name and columns; the triggers' ``ON CONFLICT`` find it as
before. Nothing on SQLite, whose tables are stored in their key's order (migration 0048).

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table's key, as migration 0045 made it.
KEYS = {
    "case_term_day_counts": ("day", "kind", "channel", "queue", "responded", "term_status", "done",
                             "transferred", "access_denied", "days_to_answer"),
    "case_term_month_counts": ("month", "kind", "channel", "typification_path_codes", "queue", "who",
                               "term_status", "extended", "transferred", "incomplete", "withdrawn"),
    "case_answer_time_counts": ("month", "kind", "channel", "typification_path_codes", "queue",
                                "first_response_hours", "resolution_hours"),
}


def _keys(include: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, key in KEYS.items():
        bind.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, "
                             f"ADD CONSTRAINT pk_{table} PRIMARY KEY ({', '.join(key)}){include}")
        bind.exec_driver_sql(f"ANALYZE {table}")


def upgrade() -> None:
    _keys(" INCLUDE (cases)")


def downgrade() -> None:
    _keys("")
