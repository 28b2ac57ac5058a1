"""``case_term_day_counts`` and ``case_term_month_counts``: the cases counted per day and per month of
filing (UTC−5) by what the regulatory and the timeliness reports group and filter by, the term's status
left '' while it runs; ``case_answer_time_counts``: the answered cases per month of filing by their
answer times; all kept by triggers on ``cases`` and ``case_report_facts`` (``term_count_schema``),
filled here from the cases already stored; and ``ix_cases_running_term``, the cases whose term runs by
filing instant, which the reports group at the instant they are read.

The triggers and the filling are ``term_count_schema``'s own statements, so that a migrated store and one
made by ``metadata.create_all`` have the same triggers (``test_store_schema`` compares them).

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.migrate import analyze_indexes
from pqrs_adapters.sqlalchemy.term_count_schema import (
    ANSWER_TIMES,
    DAYS,
    DROP_POSTGRESQL,
    FILL,
    MONTHS,
    RUNNING_TERM_CASES,
    SQLITE_DROP,
    TRIGGERS,
)

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        DAYS.table,
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("responded", sa.Boolean(), nullable=False),
        sa.Column("term_status", sa.String(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("transferred", sa.Boolean(), nullable=False),
        sa.Column("access_denied", sa.Boolean(), nullable=False),
        sa.Column("days_to_answer", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*DAYS.keys, name=f"pk_{DAYS.table}"),
    )
    op.create_table(
        MONTHS.table,
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("typification_path_codes", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("term_status", sa.String(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("transferred", sa.Boolean(), nullable=False),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*MONTHS.keys, name=f"pk_{MONTHS.table}"),
    )
    op.create_table(
        ANSWER_TIMES.table,
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("typification_path_codes", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("first_response_hours", sa.Float(), nullable=False),
        sa.Column("resolution_hours", sa.Float(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*ANSWER_TIMES.keys, name=f"pk_{ANSWER_TIMES.table}"),
    )
    bind = op.get_bind()
    for statement in (*FILL[bind.dialect.name], *TRIGGERS[bind.dialect.name]):
        bind.exec_driver_sql(statement)
    op.create_index("ix_cases_running_term", "cases", ["filed_at"],
                    sqlite_where=sa.text(RUNNING_TERM_CASES),
                    postgresql_where=sa.text(RUNNING_TERM_CASES))
    analyze_indexes(bind, "ix_cases_running_term")


def downgrade() -> None:
    op.drop_index("ix_cases_running_term", table_name="cases")
    if op.get_context().dialect.name == "postgresql":
        op.execute(DROP_POSTGRESQL)
    else:
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.drop_table(ANSWER_TIMES.table)
    op.drop_table(MONTHS.table)
    op.drop_table(DAYS.table)
