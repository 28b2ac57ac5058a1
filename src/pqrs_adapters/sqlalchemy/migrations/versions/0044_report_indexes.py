"""The causes and regulatory reports read from indexes alone (issue 17).

``ix_cases_resolved`` replaces ``ix_cases_term_ended_at`` (migration 0039): after ``term_ended_at``, what
the causes report tests (state category, voided) and what it groups by (root cause, area,
typification), so that for a reader who sees every case the report reads the index alone. Its leading
``term_ended_at`` serves the dashboard's compliance as the old index did.

``ix_cases_regulatory`` and ``ix_case_report_facts_regulatory``: the columns the regulatory report
groups the cases filed in its range by, and the join to their facts.

SQLite reads them as covering indexes; PostgreSQL with index-only scans once the tables are vacuumed.
On a large PostgreSQL table ``CREATE INDEX`` blocks writes to ``cases`` while it runs; run the upgrade
in a quiet moment.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from pqrs_adapters.sqlalchemy.migrate import analyze_indexes

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``tables`` holds the same lists.
INDEXES = {
    ("ix_cases_resolved", "cases"): [
        "term_ended_at", "state_category", "deleted_at", "root_cause", "cause_area", "typification_code"],
    ("ix_cases_regulatory", "cases"): [
        "filed_at", "deleted_at", "kind", "state_category", "responded_at", "due_at", "notified_at",
        "term_ended_at", "closed_at", "paused_left_unit", "id"],
    ("ix_case_report_facts_regulatory", "case_report_facts"): [
        "case_id", "transfers", "access_denied", "days_to_answer"],
}


def upgrade() -> None:
    for (name, table), columns in INDEXES.items():
        op.create_index(name, table, columns)
    op.drop_index("ix_cases_term_ended_at", table_name="cases")
    analyze_indexes(op.get_bind(), *(name for name, _table in INDEXES))


def downgrade() -> None:
    op.create_index("ix_cases_term_ended_at", "cases", ["term_ended_at"])
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
    analyze_indexes(op.get_bind(), "ix_cases_term_ended_at")
