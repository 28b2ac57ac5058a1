"""``case_event_day_counts`` and ``case_event_time_counts``: the events the productivity report counts,
per day (UTC−5), kind and person, and those timed by a whole number of seconds per value as well, kept by
triggers on ``case_events`` (``event_count_schema``), filled here from the events already stored. And
``ix_cases_voided``, the voided cases, whose events the report takes away from the counts.

The triggers and the filling are ``event_count_schema``'s own statements, so that a migrated store and
one made by ``metadata.create_all`` have the same triggers (``test_store_schema`` compares them).

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.event_count_schema import DROP, FILL, TRIGGERS

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VOIDED = "deleted_at IS NOT NULL"  # frozen here; ``tables`` holds the same text


def _keys() -> list[sa.Column[str]]:
    return [sa.Column(name, sa.String(), nullable=False) for name in ("day", "type", "actor")]


def upgrade() -> None:
    op.create_table("case_event_day_counts", *_keys(), sa.Column("events", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("day", "type", "actor", name="pk_case_event_day_counts"))
    op.create_table("case_event_time_counts", *_keys(),
                    sa.Column("seconds", sa.Integer(), nullable=False),
                    sa.Column("events", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("day", "type", "actor", "seconds",
                                            name="pk_case_event_time_counts"))
    op.create_index("ix_cases_voided", "cases", ["id"], sqlite_where=sa.text(VOIDED),
                    postgresql_where=sa.text(VOIDED))
    bind = op.get_bind()
    for statement in (*FILL[bind.dialect.name], *TRIGGERS[bind.dialect.name]):
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    for statement in DROP[op.get_context().dialect.name]:
        op.execute(statement)
    op.drop_index("ix_cases_voided", table_name="cases")
    op.drop_table("case_event_time_counts")
    op.drop_table("case_event_day_counts")
