"""PostgreSQL: the counts the reports read, read from their keys alone.

The primary keys of the tables of counts the triggers keep for the reports now hold each cell's
number too (``INCLUDE (cases)`` or ``INCLUDE (events)``), so that a range of days or months is an
index-only scan: the key's entries of the range, not the table's pages. The triggers add cells in the
order cases are filed and answered, so a month's cells lie all over the table, and PostgreSQL read the
whole table or most of its pages: at 100,000 cases, for a quarter, the answer times' 10,522 cells were
a scan of all its 4,665 pages (179 pages of the key now), and the volume's month counts 4,352 pages for
6,032 cells. The tables: the counts for the volume and who resolved (migration 0040), for productivity
(0043) and by the term's status with the answer times (0045).

The count in the key makes each trigger's increment write a new entry in the key rather than a
heap-only (HOT) update; measured, the commit around it costs far more (docs/performance.md).

Each key is made again with the same name and columns; the triggers' ``ON CONFLICT`` find it as
before. Nothing on SQLite (whose term counts are stored in their key's order, migration 0048).

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

# Each table's key, as migrations 0040, 0043 and 0045 made it, and the number it counts.
KEYS = {
    "case_report_day_counts": (("day", "kind", "channel", "queue"), "cases"),
    "case_report_month_counts": (("month", "kind", "channel", "typification_path_codes", "queue",
                                  "requester_kind", "first_contact_resolution", "answered",
                                  "responder_queue"), "cases"),
    "case_term_day_counts": (("day", "kind", "channel", "queue", "responded", "term_status", "done",
                              "transferred", "access_denied", "days_to_answer"), "cases"),
    "case_term_month_counts": (("month", "kind", "channel", "typification_path_codes", "queue", "who",
                                "term_status", "extended", "transferred", "incomplete", "withdrawn"),
                               "cases"),
    "case_answer_time_counts": (("month", "kind", "channel", "typification_path_codes", "queue",
                                 "first_response_hours", "resolution_hours"), "cases"),
    "case_event_day_counts": (("day", "type", "actor"), "events"),
    "case_event_time_counts": (("day", "type", "actor", "seconds"), "events"),
}


def _keys(covering: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, (key, counted) in KEYS.items():
        include = f" INCLUDE ({counted})" if covering else ""
        bind.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, "
                             f"ADD CONSTRAINT pk_{table} PRIMARY KEY ({', '.join(key)}){include}")
        bind.exec_driver_sql(f"ANALYZE {table}")


def upgrade() -> None:
    _keys(covering=True)


def downgrade() -> None:
    _keys(covering=False)
