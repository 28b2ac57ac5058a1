"""``case_report_day_counts`` and ``case_report_month_counts``: the cases counted per day and per month
of filing (UTC−5) by what the volume and who-resolved reports group and filter by, kept by triggers on
``cases`` and ``case_report_facts`` (``report_count_schema``), filled here from the cases already stored.

The triggers and the filling are ``report_count_schema``'s own statements, so that a migrated store and
one made by ``metadata.create_all`` have the same triggers (``test_store_schema`` compares them).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.report_count_schema import FILL, TRIGGERS

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_report_day_counts",
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "channel", "queue", name="pk_case_report_day_counts"),
    )
    op.create_table(
        "case_report_month_counts",
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("typification_path_codes", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("requester_kind", sa.String(), nullable=False),
        sa.Column("first_contact_resolution", sa.Boolean(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("responder_queue", sa.String(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "kind", "channel", "typification_path_codes", "queue",
                                "requester_kind", "first_contact_resolution", "answered", "responder_queue",
                                name="pk_case_report_month_counts"),
    )
    bind = op.get_bind()
    for statement in (*FILL[bind.dialect.name], *TRIGGERS[bind.dialect.name]):
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS report_counts_case, report_counts_facts, report_counts_move "
                   "CASCADE")
    else:
        for table in ("case", "facts"):
            for name in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS case_report_month_counts_{table}_{name}")
    op.drop_table("case_report_month_counts")
    op.drop_table("case_report_day_counts")
