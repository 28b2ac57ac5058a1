"""The counts by the term's status keep the cases whose term runs by what their status is known from.

The counts of migration 0045 kept every case whose term runs with the status ``''``, and the regulatory
and timeliness reports grouped those cases from ``cases`` at the reader's instant: at 1,000,000 cases,
9,189 cases of a quarter, with their facts, 47 ms of the timeliness report on SQLite. Their status is
now kept as far as it is known without the instant (``term_count_schema._status``): on time or late for a
case closed, running for a paused one, and for an open one ``due:`` and its deadline's UTC−5 day, which
the reader compares with its own day. Only the cases due on the reader's day are still grouped from
``cases``.

The triggers are made again (they also follow a case paused, resumed, closed or reopened now) and the
two tables are counted again from the cases. The downgrade makes the triggers and the counts of before.

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from pqrs_adapters.sqlalchemy.term_count_schema import (
    BEFORE_DUE_DAYS,
    DAYS,
    DROP_POSTGRESQL,
    MONTHS,
    SQLITE_DROP,
    TALLIES,
    Tally,
    fill,
    triggers,
)

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recount(tallies: tuple[Tally, ...]) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in SQLITE_DROP if dialect == "sqlite" else (DROP_POSTGRESQL,):
        bind.exec_driver_sql(statement)
    for t in tallies:
        if t.table in (DAYS.table, MONTHS.table):
            bind.exec_driver_sql(f"DELETE FROM {t.table}")
            bind.exec_driver_sql(fill(dialect, t))
    for statement in triggers(tallies)[dialect]:
        bind.exec_driver_sql(statement)
    if dialect == "sqlite":
        for table in (DAYS.table, MONTHS.table):
            bind.exec_driver_sql(f"ANALYZE {table}")


def upgrade() -> None:
    _recount(TALLIES)


def downgrade() -> None:
    _recount(BEFORE_DUE_DAYS)
